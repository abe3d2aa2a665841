import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/server/db/generated/client";

// One Prisma client per database URL, on the JS engine through the better-sqlite3 adapter
// (no engine binaries to download).
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: databaseUrl });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };
