import "../server/server-only-hook";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  migratedSchemaPath,
  postgresSchemaPath,
  renderPostgresSchema,
  sqliteSchemaPath,
} from "@/server/db/postgres-schema";

// npm run db:schema             writes prisma/postgres/schema.prisma from prisma/schema.prisma
// npm run db:schema -- --check  exits 1 when the committed PostgreSQL schema is out of date
// npm run db:migration -- NAME  after an edit of prisma/schema.prisma: writes the PostgreSQL
//   schema and one migration per database (prisma/migrations/NNNN_NAME and
//   prisma/postgres/migrations/NNNN_NAME), each the diff from the schema of the last migration
//   (prisma/migrated-schema.prisma) to the edited one, and moves that snapshot forward.
// No database is needed: `migrate diff` compares schema files.

const prismaCli = require.resolve("prisma/build/index.js");

function writePostgresSchema(source: string): boolean {
  const rendered = renderPostgresSchema(source);
  if (fs.existsSync(postgresSchemaPath) && fs.readFileSync(postgresSchemaPath, "utf8") === rendered) return false;
  fs.mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
  fs.writeFileSync(postgresSchemaPath, rendered);
  return true;
}

function diff(from: string, to: string): string {
  return execFileSync(
    process.execPath,
    [prismaCli, "migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      // The CLI opens the config's adapter even for a diff of two schema files: a scratch
      // SQLite file, so it works before data/ exists (a fresh clone).
      env: {
        ...process.env,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        DATABASE_URL: `file:${path.join(os.tmpdir(), `floodgate-diff-${process.pid}.db`)}`,
      },
    },
  )
    .replace(/^Loaded Prisma config.*\n/m, "")
    .replace(/^\s*\n/, "");
}

function writeMigration(name: string, source: string) {
  const migrated = fs.readFileSync(migratedSchemaPath, "utf8");
  if (migrated === source) {
    console.error("prisma/schema.prisma has no change since the last migration: nothing to write.");
    process.exit(1);
  }
  const dirs = { sqlite: path.join("prisma", "migrations"), postgres: path.join("prisma", "postgres", "migrations") };
  const numbers = fs
    .readdirSync(dirs.sqlite)
    .map((entry) => Number.parseInt(entry, 10))
    .filter((n) => Number.isFinite(n));
  const folder = `${String(Math.max(0, ...numbers) + 1).padStart(4, "0")}_${name}`;
  // migrate diff reads schema files: the snapshots go to a temp folder.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "floodgate-migration-"));
  try {
    const file = (name: string, text: string) => {
      const target = path.join(tmp, name);
      fs.writeFileSync(target, text);
      return target;
    };
    const sql = {
      sqlite: diff(file("from.sqlite.prisma", migrated), sqliteSchemaPath),
      postgres: diff(
        file("from.pg.prisma", renderPostgresSchema(migrated)),
        file("to.pg.prisma", renderPostgresSchema(source)),
      ),
    };
    for (const db of ["sqlite", "postgres"] as const) {
      const dir = path.join(dirs[db], folder);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), sql[db]);
      process.stdout.write(`wrote ${path.join(dir, "migration.sql")}\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(migratedSchemaPath, source);
  writePostgresSchema(source);
  process.stdout.write("Review both migrations, then commit them with the schemas.\n");
}

const source = fs.readFileSync(sqliteSchemaPath, "utf8");
const args = process.argv.slice(2);
if (args[0] === "--check") {
  if (fs.readFileSync(postgresSchemaPath, "utf8") !== renderPostgresSchema(source)) {
    console.error(`${postgresSchemaPath} is out of date: run npm run db:schema`);
    process.exit(1);
  }
} else if (args[0] === "--migration") {
  const name = args[1] ?? "";
  if (!/^[a-z0-9_]+$/.test(name)) {
    console.error("Usage: npm run db:migration -- NAME   (NAME: lower-case letters, digits and _)");
    process.exit(1);
  }
  writeMigration(name, source);
} else if (writePostgresSchema(source)) {
  process.stdout.write(`wrote ${postgresSchemaPath}\n`);
}
