import "../server-only-hook";
import { runAdminCommand, UsageError, usage } from "@/server/cli/admin-commands";
import { env } from "@/server/env";

// npm run admin -- <command>: manage console users from a shell (the first admin, a lost
// password, a locked-out admin), also while the server runs. Commands: server/cli/admin-commands.ts.
//   create --email a@b.c --role admin|operator|viewer [--name "A B"]   password: $FLOODGATE_NEW_PASSWORD or generated
//   set-role --email a@b.c --role operator
//   reset-password --email a@b.c                                       password: as for create
//   disable --email a@b.c | enable --email a@b.c
//   list

async function main() {
  const config = env();
  await runAdminCommand(process.argv.slice(2), {
    databaseUrl: config.databaseUrl,
    newPassword: process.env.FLOODGATE_NEW_PASSWORD,
    out: (text) => process.stdout.write(text),
  });
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
