import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { postgresCliAdapter, releaseLingeringTimers } from "./prisma/postgres-cli-adapter";

// The CLI (migrate deploy / diff) runs on the JS schema engine through the same driver
// adapter the app uses: the classic engine needs binaries this project does not download.
// DATABASE_URL picks the database: file: is SQLite (prisma/schema.prisma, the source of truth),
// postgres:// or postgresql:// is PostgreSQL (prisma/postgres/schema.prisma, generated from it
// by `npm run db:schema`). Each has its own migrations; see the comment atop prisma/schema.prisma.
const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join("data", "floodgate.db")}`;
const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);
const schemaDir = postgres ? path.join("prisma", "postgres") : "prisma";
if (postgres) releaseLingeringTimers();

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(schemaDir, "schema.prisma"),
  migrations: { path: path.join(schemaDir, "migrations") },
  async adapter() {
    return postgres ? postgresCliAdapter(databaseUrl) : new PrismaBetterSQLite3({ url: databaseUrl });
  },
});
