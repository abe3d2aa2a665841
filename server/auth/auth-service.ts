import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Role, SessionUser } from "@/server/admin/admin-types";
import type { LoginThrottle } from "@/server/auth/login-throttle";
import { decoyHash, hashPassword, verifyPassword } from "@/server/auth/password";
import type { SessionRevocationStore } from "@/server/auth/session-revocation-store";
import { normalizeEmail, type StoredUser, type UserStore } from "@/server/auth/user-store";
import type { Logger } from "@/server/log";

// Sign-in and the session's person. Sessions are next-auth JWTs holding only the user id, the
// password epoch and the session's id: the role, the disabled flag, the epoch and whether the
// session was signed out are read again on every admin request, so demoting, disabling or
// signing out takes effect at the next click, not when the cookie expires.

export type SignInResult =
  | { ok: true; user: SessionUser; sessionEpoch: number }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

const roleRank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` may do what `needed` may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return roleRank[role] >= roleRank[needed];
}

export function toSessionUser(user: StoredUser): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export type AuthServiceParts = {
  users: UserStore;
  throttle: LoginThrottle;
  sessions: SessionRevocationStore;
  logger: Logger;
  /** How long a session cookie lives (each refresh issues one that lives this long again). */
  sessionMaxAgeS: number;
  clock?: () => number;
  /** The password check (tests count its calls). */
  verifyPassword?: (password: string, stored: string) => Promise<boolean>;
};

/** next-auth accepts a cookie up to 15 s past its expiry (jose's clock tolerance): keep the record longer. */
const revocationMarginS = 60;

export class AuthService {
  private readonly users: UserStore;
  private readonly throttle: LoginThrottle;
  private readonly sessions: SessionRevocationStore;
  private readonly logger: Logger;
  private readonly sessionMaxAgeS: number;
  private readonly clock: () => number;
  private readonly verify: (password: string, stored: string) => Promise<boolean>;

  constructor(parts: AuthServiceParts) {
    this.users = parts.users;
    this.throttle = parts.throttle;
    this.sessions = parts.sessions;
    this.logger = parts.logger;
    this.sessionMaxAgeS = parts.sessionMaxAgeS;
    this.clock = parts.clock ?? Date.now;
    this.verify = parts.verifyPassword ?? verifyPassword;
  }

  async signIn(email: string, password: string, address: string): Promise<SignInResult> {
    const account = normalizeEmail(email);
    const user = await this.users.findByEmail(account);
    // Counted before the check: attempts sent together cannot all slip under the limit. The
    // account is counted per session epoch, so a new password (`npm run admin --
    // reset-password`, or an admin's) lifts a lockout at once, without a restart.
    const claim = await this.throttle.claimAttempt(`${account}#${user?.sessionEpoch ?? 0}`, address);
    if (!claim.ok) {
      this.logger.warn({ account, address }, "sign-in throttled");
      return { ok: false, reason: "throttled", retryAfterSeconds: claim.retryAfterSeconds };
    }
    // Unknown accounts cost a full hash too: response time does not tell who has an account.
    const valid = await this.verify(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid || user.disabled) {
      this.logger.info({ account, address, known: Boolean(user) }, "sign-in refused");
      return { ok: false, reason: "invalid" };
    }
    await claim.refund();
    await this.users.noteSignIn(user.id, new Date());
    this.logger.info({ account, address, role: user.role }, "signed in");
    return { ok: true, user: toSessionUser(user), sessionEpoch: user.sessionEpoch };
  }

  /**
   * The person behind a session, as they are now; null when gone, disabled, signed out, or when
   * the session was issued before their password last changed. Two indexed lookups, side by side.
   */
  async sessionUser(id: string, sessionEpoch: number, sessionId: string | null): Promise<SessionUser | null> {
    const [user, ended] = await Promise.all([
      this.users.findById(id),
      sessionId === null ? Promise.resolve(false) : this.sessions.isRevoked(sessionId),
    ]);
    return user && !ended && !user.disabled && user.sessionEpoch === sessionEpoch ? toSessionUser(user) : null;
  }

  /**
   * Signs one session out on the server: every copy of its cookie stops working, on every node.
   * The person's other sessions carry on.
   */
  async endSession(sessionId: string, userId: string): Promise<void> {
    const now = this.clock();
    // Every cookie of this session was issued by now and lives at most sessionMaxAgeS; a later
    // refresh is refused (isSessionEnded), so after this no cookie of it can be valid.
    const expiresAt = new Date(now + (this.sessionMaxAgeS + revocationMarginS) * 1000);
    await this.sessions.revoke(sessionId, userId, expiresAt, new Date(now));
    this.logger.info({ userId }, "signed out");
  }

  async isSessionEnded(sessionId: string): Promise<boolean> {
    return this.sessions.isRevoked(sessionId);
  }

  /** The first admin, from configuration, on a start that finds no active admin. */
  async ensureConfiguredAdmin(email: string, password: string): Promise<void> {
    if ((await this.users.countActiveAdmins()) > 0) return;
    const existing = await this.users.findByEmail(email);
    const passwordHash = await hashPassword(password);
    if (existing) await this.users.update(existing.id, { role: "admin", disabled: false, passwordHash });
    else await this.users.create({ email, name: "Administrator", role: "admin", passwordHash });
    this.logger.info({ account: normalizeEmail(email) }, "first admin created from FLOODGATE_ADMIN_EMAIL");
  }

  /**
   * The demo's admin: created once with a generated password kept in <dataDir>/demo-admin.json
   * (mode 0600), so the demo can say how to sign in on every start.
   */
  async ensureDemoAdmin(dataDir: string): Promise<{ email: string; password: string }> {
    const file = path.join(dataDir, "demo-admin.json");
    const email = "admin@floodgate.demo";
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { email: string; password: string };
      if (await this.users.findByEmail(saved.email)) return saved;
    }
    const password = randomBytes(12).toString("base64url");
    const passwordHash = await hashPassword(password);
    const existing = await this.users.findByEmail(email);
    if (existing) await this.users.update(existing.id, { role: "admin", disabled: false, passwordHash });
    else await this.users.create({ email, name: "Demo admin", role: "admin", passwordHash });
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ email, password }, null, 2), { mode: 0o600 });
    return { email, password };
  }
}
