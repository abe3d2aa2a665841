import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthService, roleAllows } from "@/server/auth/auth-service";
import { LoginThrottle } from "@/server/auth/login-throttle";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { SessionRevocationStore } from "@/server/auth/session-revocation-store";
import { UserStore } from "@/server/auth/user-store";
import { createPrismaClient, type PrismaClient } from "@/server/db/client";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";

let db: PrismaClient | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await db?.$disconnect();
  db = undefined;
});

async function setup(limits = { failuresPerAccount: 3, failuresPerAddress: 50 }) {
  const url = tempDatabaseUrl();
  db = createPrismaClient(url);
  const users = new UserStore(db);
  // The real check, counted: a throttle is judged by how many password checks it lets through.
  const checks = { count: 0 };
  const countedVerify = (password: string, stored: string) => {
    checks.count++;
    return verifyPassword(password, stored);
  };
  const sessions = new SessionRevocationStore(db);
  const clock = { nowMs: Date.now() };
  const auth = new AuthService({
    users,
    throttle: new LoginThrottle(limits),
    sessions,
    logger: pino({ level: "silent" }),
    sessionMaxAgeS: 3600,
    clock: () => clock.nowMs,
    verifyPassword: countedVerify,
  });
  const user = await users.create({
    email: "Ops@Example.com",
    name: "Ops",
    role: "operator",
    passwordHash: await hashPassword("the right password"),
  });
  if (!user) throw new Error("not created");
  return { users, auth, user, checks, sessions, clock, dataDir: testDataDir(url) };
}

describe("AuthService", () => {
  it("signs in with the right password, whatever the email's case, and records when", async () => {
    const { auth, users, user } = await setup();
    const result = await auth.signIn("  ops@EXAMPLE.com ", "the right password", "198.51.100.1");
    expect(result).toEqual({
      ok: true,
      user: { id: user.id, email: "ops@example.com", name: "Ops", role: "operator" },
      sessionEpoch: 0,
    });
    expect((await users.findById(user.id))?.lastSignInAt).not.toBeNull();
  });

  it("refuses a wrong password, an unknown account and a disabled account alike", async () => {
    const { auth, users, user } = await setup();
    expect(await auth.signIn("ops@example.com", "wrong", "198.51.100.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await auth.signIn("nobody@example.com", "the right password", "198.51.100.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
    await users.update(user.id, { disabled: true });
    expect(await auth.signIn("ops@example.com", "the right password", "198.51.100.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await auth.sessionUser(user.id, 0, null)).toBeNull();
  });

  it("ends every session issued before a password change", async () => {
    const { auth, users, user } = await setup();
    expect(await auth.sessionUser(user.id, 0, null)).not.toBeNull();
    await users.update(user.id, { name: "Renamed" });
    expect(await auth.sessionUser(user.id, 0, null)).not.toBeNull();
    await users.update(user.id, { passwordHash: await hashPassword("a new password here") });
    expect(await auth.sessionUser(user.id, 0, null)).toBeNull();
    const again = await auth.signIn("ops@example.com", "a new password here", "198.51.100.1");
    expect(again).toMatchObject({ ok: true, sessionEpoch: 1 });
    expect(await auth.sessionUser(user.id, 1, null)).toMatchObject({ name: "Renamed" });
  });

  it("ends one signed-out session for good and leaves the person's other sessions alone", async () => {
    const { auth, user } = await setup();
    expect(await auth.sessionUser(user.id, 0, "session-a")).not.toBeNull();
    await auth.endSession("session-a", user.id);
    await auth.endSession("session-a", user.id); // a second sign-out of the same session is fine
    expect(await auth.sessionUser(user.id, 0, "session-a")).toBeNull();
    expect(await auth.isSessionEnded("session-a")).toBe(true);
    expect(await auth.sessionUser(user.id, 0, "session-b")).toMatchObject({ id: user.id });
    expect(await auth.isSessionEnded("session-b")).toBe(false);
  });

  it("keeps a revocation until the session's last cookie expires, then prunes it", async () => {
    const { auth, user, sessions, clock } = await setup();
    await auth.endSession("old", user.id);
    clock.nowMs += 3600_000; // one session lifetime later: "old" may still have a valid cookie
    await auth.endSession("newer", user.id);
    expect(await sessions.count()).toBe(2);
    expect(await auth.isSessionEnded("old")).toBe(true);
    clock.nowMs += 61_000; // past the lifetime and the margin: no cookie of "old" is valid any more
    await auth.endSession("newest", user.id);
    expect(await auth.isSessionEnded("old")).toBe(false);
    expect(await sessions.count()).toBe(2);
  });

  it("throttles an account after repeated failures, even with the right password then", async () => {
    const { auth } = await setup({ failuresPerAccount: 3, failuresPerAddress: 50 });
    for (let i = 0; i < 3; i++) await auth.signIn("ops@example.com", "guess", `198.51.100.${i}`);
    const result = await auth.signIn("ops@example.com", "the right password", "203.0.113.5");
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("lets a burst of 100 parallel attempts from one address check at most the address's limit", async () => {
    const { auth, users, checks } = await setup({ failuresPerAccount: 1000, failuresPerAddress: 30 });
    for (let i = 0; i < 4; i++) {
      await users.create({ email: `u${i}@example.com`, name: "", role: "viewer", passwordHash: "x" });
    }
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => auth.signIn(`u${i % 4}@example.com`, `guess ${i}`, "198.51.100.9")),
    );
    expect(checks.count).toBeLessThanOrEqual(30);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBeGreaterThanOrEqual(70);
  });

  it("holds the per-account limit across addresses under a parallel burst", async () => {
    const { auth, checks } = await setup({ failuresPerAccount: 5, failuresPerAddress: 30 });
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => auth.signIn("ops@example.com", `guess ${i}`, `198.51.100.${i}`)),
    );
    expect(checks.count).toBeLessThanOrEqual(5);
  });

  it("refuses the right password after an exhausted burst until the window moves", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { auth } = await setup({ failuresPerAccount: 5, failuresPerAddress: 30 });
    const burst = Array.from({ length: 24 }, (_, i) => auth.signIn("ops@example.com", `guess ${i}`, "203.0.113.7"));
    const last = auth.signIn("ops@example.com", "the right password", "203.0.113.7");
    const results = await Promise.all([...burst, last]);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await auth.signIn("ops@example.com", "the right password", "192.0.2.1")).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1_000);
    expect(await auth.signIn("ops@example.com", "the right password", "203.0.113.7")).toMatchObject({ ok: true });
  });

  it("never slows a right password on its own, even after a few typos", async () => {
    const { auth } = await setup({ failuresPerAccount: 3, failuresPerAddress: 4 });
    await auth.signIn("ops@example.com", "typo one", "198.51.100.1");
    await auth.signIn("ops@example.com", "typo two", "198.51.100.1");
    for (let i = 0; i < 10; i++) {
      expect(await auth.signIn("ops@example.com", "the right password", "198.51.100.1")).toMatchObject({ ok: true });
    }
  });

  it("creates the configured first admin only when there is no active admin", async () => {
    const { auth, users } = await setup();
    await auth.ensureConfiguredAdmin("root@example.com", "first admin password");
    const root = await users.findByEmail("root@example.com");
    expect(root?.role).toBe("admin");
    await auth.ensureConfiguredAdmin("second@example.com", "another password!!");
    expect(await users.findByEmail("second@example.com")).toBeNull();
  });

  it("seeds the demo admin once, with a password kept in the data directory (mode 0600)", async () => {
    const { auth, users, dataDir } = await setup();
    const first = await auth.ensureDemoAdmin(dataDir);
    const again = await auth.ensureDemoAdmin(dataDir);
    expect(again).toEqual(first);
    const stored = await users.findByEmail(first.email);
    expect(stored?.role).toBe("admin");
    expect(await verifyPassword(first.password, stored?.passwordHash ?? "")).toBe(true);
    expect(fs.statSync(path.join(dataDir, "demo-admin.json")).mode & 0o777).toBe(0o600);
  });

  it.each([
    ["viewer", "viewer", true],
    ["viewer", "operator", false],
    ["operator", "operator", true],
    ["operator", "admin", false],
    ["admin", "viewer", true],
    ["admin", "admin", true],
  ] as const)("role %s may act as %s: %s", (role, needed, allowed) => {
    expect(roleAllows(role, needed)).toBe(allowed);
  });
});
