import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Role, SessionUser } from "@/server/admin/admin-types";
import type { LoginThrottle } from "@/server/auth/login-throttle";
import { decoyHash, hashPassword, verifyPassword } from "@/server/auth/password";
import { normalizeEmail, type StoredUser, type UserStore } from "@/server/auth/user-store";
import type { Logger } from "@/server/log";

// Sign-in and the session's person. Sessions are next-auth JWTs holding only the user id:
// the role and the disabled flag are read again on every admin request, so demoting or
// disabling someone takes effect at their next click, not when their session expires.

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

export class AuthService {
  constructor(
    private readonly users: UserStore,
    private readonly throttle: LoginThrottle,
    private readonly logger: Logger,
    /** The password check (tests count its calls). */
    private readonly verify: (password: string, stored: string) => Promise<boolean> = verifyPassword,
  ) {}

  async signIn(email: string, password: string, address: string): Promise<SignInResult> {
    const account = normalizeEmail(email);
    // Counted before the check: attempts sent together cannot all slip under the limit.
    const claim = await this.throttle.claimAttempt(account, address);
    if (!claim.ok) {
      this.logger.warn({ account, address }, "sign-in throttled");
      return { ok: false, reason: "throttled", retryAfterSeconds: claim.retryAfterSeconds };
    }
    const user = await this.users.findByEmail(account);
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
   * The person behind a session, as they are now; null when gone, disabled, or when the session
   * was issued before their password last changed.
   */
  async sessionUser(id: string, sessionEpoch: number): Promise<SessionUser | null> {
    const user = await this.users.findById(id);
    return user && !user.disabled && user.sessionEpoch === sessionEpoch ? toSessionUser(user) : null;
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
