import "server-only";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hashPassword } from "@/server/auth/password";
import { roles, UserStore } from "@/server/auth/user-store";
import { openDatabase } from "@/server/db/database";
import { applyMigrations } from "@/server/db/migrate";

// What `npm run admin -- <command>` does (server/cli/admin.ts is its process entry). It works
// while a server runs on the same database: migrations are only run when some are pending
// (server/db/migrate.ts), and every change is one short transaction the server's own writes
// wait for (busy_timeout) like any other.

export const usage = `Usage: npm run admin -- <create|set-role|reset-password|disable|enable|list> [--email E] [--role R] [--name N]
  The password comes from FLOODGATE_NEW_PASSWORD (at least 12 characters), or is generated and printed once.
  reset-password also lifts a sign-in lockout of that account at once (and ends its sessions).`;

const argsSchema = z.object({
  command: z.enum(["create", "set-role", "reset-password", "disable", "enable", "list"]),
  email: z.email().optional(),
  role: z.enum(roles).optional(),
  name: z.string().max(100).optional(),
});

/** A mistake in how the command was called: the caller prints it with the usage, exit code 2. */
export class UsageError extends Error {}

export type AdminCommandIo = {
  databaseUrl: string;
  /** FLOODGATE_NEW_PASSWORD, when set. */
  newPassword: string | undefined;
  out: (text: string) => void;
};

export async function runAdminCommand(argv: string[], io: AdminCommandIo): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  });
  const parsed = argsSchema.safeParse({ command: positionals[0], ...values });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".") || "command"}: ${i.message}`).join("\n"));
  }
  const args = parsed.data;
  await applyMigrations(io.databaseUrl);
  const db = await openDatabase(io.databaseUrl);
  const users = new UserStore(db);
  try {
    if (args.command === "list") {
      for (const u of await users.list()) io.out(`${u.email}\t${u.role}${u.disabled ? "\t(disabled)" : ""}\n`);
      return;
    }
    if (!args.email) throw new UsageError(`--email is required for ${args.command}`);
    const existing = await users.findByEmail(args.email);
    if (args.command === "create") {
      if (!args.role) throw new UsageError("--role is required for create (viewer, operator or admin)");
      if (existing) throw new Error(`${args.email} already exists; use set-role or reset-password`);
      const password = newPassword(io.newPassword);
      await users.create({
        email: args.email,
        name: args.name ?? "",
        role: args.role,
        passwordHash: await hashPassword(password.value),
      });
      io.out(`Created ${args.email} (${args.role}).${password.generated ? ` Password: ${password.value}` : ""}\n`);
      return;
    }
    if (!existing) throw new Error(`No user ${args.email}`);
    if (args.command === "set-role") {
      if (!args.role) throw new UsageError("--role is required for set-role");
      await users.update(existing.id, { role: args.role });
    } else if (args.command === "reset-password") {
      const password = newPassword(io.newPassword);
      // A new password moves the account to a new session epoch: its sessions end, and the
      // sign-in throttle counts the account afresh (its counters are keyed by the epoch).
      await users.update(existing.id, { passwordHash: await hashPassword(password.value) });
      if (password.generated) io.out(`Password: ${password.value}\n`);
    } else {
      await users.update(existing.id, { disabled: args.command === "disable" });
    }
    io.out(`Done: ${args.command} ${args.email}\n`);
  } finally {
    await db.$disconnect();
  }
}

function newPassword(given: string | undefined): { value: string; generated: boolean } {
  if (given !== undefined) {
    if (given.length < 12) throw new UsageError("FLOODGATE_NEW_PASSWORD must be at least 12 characters");
    return { value: given, generated: false };
  }
  return { value: randomBytes(12).toString("base64url"), generated: true };
}
