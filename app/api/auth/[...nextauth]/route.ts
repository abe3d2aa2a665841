import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/auth-options";

// next-auth's endpoints (sign-in, sign-out, csrf, session). Options are built per request: they
// come from the running Floodgate process, which does not exist while `next build` runs.
type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: NextRequest, context: Context) {
  return NextAuth(request, context, authOptions());
}

export { handler as GET, handler as POST };
