import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import type { Role } from "@/server/admin/admin-types";
import { peerAddressHeader } from "@/server/api/peer-address";
import { logNextAuthError } from "@/server/http/client-fault";
import { getRuntime } from "@/server/runtime";

// next-auth (v4) with one credentials provider backed by the User table. Sessions are JWTs
// (credentials sign-in requires them) holding the user id; everything else is read per request.

const credentialsSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export function authOptions(): AuthOptions {
  const runtime = getRuntime();
  return {
    secret: runtime.auth.secret,
    session: { strategy: "jwt", maxAge: runtime.auth.sessionMaxAgeS, updateAge: 5 * 60 },
    jwt: { maxAge: runtime.auth.sessionMaxAgeS },
    pages: { signIn: "/admin/sign-in", error: "/admin/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Floodgate",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const peer = req.headers?.[peerAddressHeader];
          const address = typeof peer === "string" && peer ? peer : "unknown";
          const result = await runtime.auth.signIn(parsed.data.email, parsed.data.password, address);
          // next-auth hands the message back to signIn() as `error`: the form tells people apart.
          if (!result.ok && result.reason === "throttled") throw new Error("throttled");
          if (!result.ok) return null;
          return {
            id: result.user.id,
            email: result.user.email,
            name: result.user.name,
            role: result.user.role,
            epoch: result.sessionEpoch,
          };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = (user as { role?: Role }).role;
          token.epoch = (user as { epoch?: number }).epoch ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, role: token.role } };
      },
    },
    logger: {
      error: (code, metadata) => logNextAuthError(runtime.logger, code, metadata),
      warn: (code) => runtime.logger.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
}
