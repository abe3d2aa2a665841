import "server-only";
import { randomUUID } from "node:crypto";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import type { Role } from "@/server/admin/admin-types";
import { peerAddressHeader } from "@/server/api/peer-address";
import { redirectAfterAuth } from "@/server/auth/auth-redirect";
import { sessionIdOf } from "@/server/auth/session";
import { logNextAuthError } from "@/server/http/client-fault";
import { getRuntime } from "@/server/runtime";

// next-auth (v4) with one credentials provider backed by the User table. Sessions are JWTs
// (credentials sign-in requires them) holding the user id, the password epoch and the session's
// own id (`sid`); everything else is read per request. Signing out records the session's id in
// the SQL database (events.signOut), so a copy of the cookie stops working on every node.

/** A refresh of a signed-out session: refused, and kept out of the error log (it is the client's doing). */
class SessionEndedError extends Error {
  override name = "SessionEndedError";
}

export type AuthRequestHooks = {
  /** Sign-out could not be recorded: the caller must not report success. */
  onSignOutFailed?: (error: unknown) => void;
};

const credentialsSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export function authOptions(hooks: AuthRequestHooks = {}): AuthOptions {
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
      redirect: redirectAfterAuth,
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = (user as { role?: Role }).role;
          token.epoch = (user as { epoch?: number }).epoch ?? 0;
          token.sid = randomUUID();
          return token;
        }
        // Every GET /api/auth/session re-issues the cookie with a later expiry: a signed-out
        // session must not be re-issued, or its copy would outlive the revocation record.
        const sessionId = sessionIdOf(token);
        if (sessionId && (await runtime.auth.isSessionEnded(sessionId))) throw new SessionEndedError("signed out");
        token.sid = sessionId ?? randomUUID();
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, role: token.role } };
      },
    },
    events: {
      // next-auth calls this once the sign-out request passed its CSRF check, with the
      // session's decoded token, whether the request came from its client or a plain form.
      async signOut({ token }) {
        const sessionId = sessionIdOf(token);
        const userId = token?.uid;
        if (!sessionId || typeof userId !== "string") return;
        try {
          await runtime.auth.endSession(sessionId, userId);
        } catch (error) {
          runtime.logger.error({ err: error }, "sign-out not recorded");
          hooks.onSignOutFailed?.(error);
        }
      },
    },
    logger: {
      error: (code, metadata) => {
        if (metadata instanceof Error && metadata.name === "SessionEndedError") {
          runtime.logger.info({ code }, "refresh of a signed-out session refused");
        } else logNextAuthError(runtime.logger, code, metadata);
      },
      warn: (code) => runtime.logger.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
}
