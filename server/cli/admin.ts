import "../server-only-hook";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hashPassword } from "@/server/auth/password";
import { roles, UserStore } from "@/server/auth/user-store";
import { openDatabase } from "@/server/db/database";
import { applyMigrations } from "@/server/db/migrate";
import { env } from "@/server/env";

// npm run admin -- <command>: manage console users from a shell (the first admin, a lost password).
//   create --email a@b.c --role admin|operator|viewer [--name "A B"]   password: $FLOODGATE_NEW_PASSWORD or generated
//   set-role --email a@b.c --role operator
//   reset-password --email a@b.c                                       password: as for create
//   disable --email a@b.c | enable --email a@b.c
//   list

const usage = `Usage: npm run admin -- <create|set-role|reset-password|disable|enable|list> [--email E] [--role R] [--name N]
  The password comes from FLOODGATE_NEW_PASSWORD (at least 12 characters), or is generated and printed once.`;

const argsSchema = z.object({
  command: z.enum(["create", "set-role", "reset-password", "disable", "enable", "list"]),
  email: z.email().optional(),
  role: z.enum(roles).optional(),
  name: z.string().max(100).optional(),
});

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  });
  const parsed = argsSchema.safeParse({ command: positionals[0], ...values });
  if (!parsed.success) {
    console.error(
      `${parsed.error.issues.map((i) => `${i.path.join(".") || "command"}: ${i.message}`).join("\n")}\n${usage}`,
    );
    process.exit(2);
  }
  const args = parsed.data;
  const config = env();
  await applyMigrations(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl, { sqliteSynchronous: config.FLOODGATE_SQLITE_SYNCHRONOUS });
  const users = new UserStore(db);
  try {
    if (args.command === "list") {
      for (const u of await users.list())
        process.stdout.write(`${u.email}\t${u.role}${u.disabled ? "\t(disabled)" : ""}\n`);
      return;
    }
    if (!args.email) throw new Error(`--email is required for ${args.command}`);
    const existing = await users.findByEmail(args.email);
    if (args.command === "create") {
      if (!args.role) throw new Error("--role is required for create (viewer, operator or admin)");
      if (existing) throw new Error(`${args.email} already exists; use set-role or reset-password`);
      const password = newPassword();
      await users.create({
        email: args.email,
        name: args.name ?? "",
        role: args.role,
        passwordHash: await hashPassword(password.value),
      });
      process.stdout.write(
        `Created ${args.email} (${args.role}).${password.generated ? ` Password: ${password.value}` : ""}\n`,
      );
      return;
    }
    if (!existing) throw new Error(`No user ${args.email}`);
    if (args.command === "set-role") {
      if (!args.role) throw new Error("--role is required for set-role");
      await users.update(existing.id, { role: args.role });
    } else if (args.command === "reset-password") {
      const password = newPassword();
      await users.update(existing.id, { passwordHash: await hashPassword(password.value) });
      if (password.generated) process.stdout.write(`Password: ${password.value}\n`);
    } else {
      await users.update(existing.id, { disabled: args.command === "disable" });
    }
    process.stdout.write(`Done: ${args.command} ${args.email}\n`);
  } finally {
    await db.$disconnect();
  }
}

function newPassword(): { value: string; generated: boolean } {
  const given = process.env.FLOODGATE_NEW_PASSWORD;
  if (given !== undefined) {
    if (given.length < 12) throw new Error("FLOODGATE_NEW_PASSWORD must be at least 12 characters");
    return { value: given, generated: false };
  }
  return { value: randomBytes(12).toString("base64url"), generated: true };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
