import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AuthService } from "@/server/auth/auth-service";
import { LoginThrottle } from "@/server/auth/login-throttle";
import { hashPassword } from "@/server/auth/password";
import { SessionRevocationStore } from "@/server/auth/session-revocation-store";
import { UserStore } from "@/server/auth/user-store";
import { runAdminCommand } from "@/server/cli/admin-commands";
import type { PrismaClient } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { applyMigrations, pendingMigrations } from "@/server/db/migrate";
import { tempDatabaseUrl } from "@/server/testing/temp-db";

// `npm run admin` beside a running server: the server's connection (WAL, busy timeout, a write
// just made) stays open while the CLI's code path runs against the same database.

let server: PrismaClient | undefined;
afterEach(async () => {
  await server?.$disconnect();
  server = undefined;
});

async function runningServer() {
  const databaseUrl = tempDatabaseUrl();
  server = await openDatabase(databaseUrl);
  const users = new UserStore(server);
  const auth = new AuthService({
    users,
    throttle: new LoginThrottle({ failuresPerAccount: 3, failuresPerAddress: 100 }),
    sessions: new SessionRevocationStore(server),
    logger: pino({ level: "silent" }),
    sessionMaxAgeS: 3600,
  });
  await users.create({
    email: "root@example.com",
    name: "Root",
    role: "admin",
    passwordHash: await hashPassword("the old password"),
  });
  return { databaseUrl, users, auth };
}

async function cli(databaseUrl: string, argv: string[], newPassword?: string): Promise<string> {
  let output = "";
  await runAdminCommand(argv, { databaseUrl, newPassword, out: (text) => (output += text) });
  return output;
}

describe("npm run admin while the server runs on the same database", () => {
  it("creates, lists and changes users, and the server sees the changes", async () => {
    const { databaseUrl, users } = await runningServer();
    expect(
      await cli(databaseUrl, ["create", "--email", "ops@example.com", "--role", "operator"], "an operator password"),
    ).toBe("Created ops@example.com (operator).\n");
    expect(await cli(databaseUrl, ["set-role", "--email", "ops@example.com", "--role", "viewer"])).toContain("Done");
    expect(await cli(databaseUrl, ["list"])).toContain("ops@example.com\tviewer");
    expect((await users.findByEmail("ops@example.com"))?.role).toBe("viewer");
  });

  it("lets a locked-out admin in again at once with reset-password, no restart", async () => {
    const { databaseUrl, auth, users } = await runningServer();
    for (let i = 0; i < 3; i++) await auth.signIn("root@example.com", `guess ${i}`, "203.0.113.9");
    expect(await auth.signIn("root@example.com", "the old password", "198.51.100.1")).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    const root = await users.findByEmail("root@example.com");

    await cli(databaseUrl, ["reset-password", "--email", "root@example.com"], "a brand new password");
    expect(await auth.signIn("root@example.com", "a brand new password", "198.51.100.1")).toMatchObject({ ok: true });
    // The sessions issued before the reset are over.
    expect(await auth.sessionUser(root?.id ?? "", 0, null)).toBeNull();
  });

  it("runs no migration when none is pending, and names the pending ones otherwise", async () => {
    const { databaseUrl } = await runningServer();
    expect(await pendingMigrations(databaseUrl)).toEqual([]);
    await applyMigrations(databaseUrl); // nothing to do: returns without touching the database
    await server?.$executeRawUnsafe(
      `DELETE FROM "_prisma_migrations" WHERE migration_name = '0005_session_revocation'`,
    );
    expect(await pendingMigrations(databaseUrl)).toEqual(["0005_session_revocation"]);
  });

  it.runIf(process.env.FLOODGATE_TEST_PG_TEMPLATE === undefined)(
    "says why when a migration is pending while the server holds the SQLite file",
    async () => {
      const { databaseUrl } = await runningServer();
      await server?.$executeRawUnsafe(
        `DELETE FROM "_prisma_migrations" WHERE migration_name = '0005_session_revocation'`,
      );
      await expect(applyMigrations(databaseUrl)).rejects.toThrow(/another process has the database open/);
    },
    30_000,
  );
});
