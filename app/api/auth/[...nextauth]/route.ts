import { handleAuthRequest } from "@/server/auth/auth-route";

// next-auth's endpoints (sign-in, sign-out, csrf, session), behind Floodgate's checks
// (server/auth/auth-route.ts). Options are built per request: they come from the running
// Floodgate process, which does not exist while `next build` runs.
type Context = { params: Promise<{ nextauth?: string[] }> };

async function handler(request: Request, context: Context) {
  const { nextauth = [] } = await context.params;
  return handleAuthRequest(request, nextauth);
}

export { handler as GET, handler as POST };
