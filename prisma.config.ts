import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

// The CLI (migrate deploy / diff) runs on the JS schema engine through the same driver
// adapter the app uses: the classic engine needs binaries this project does not download.
const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join("data", "floodgate.db")}`;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: databaseUrl });
  },
});
