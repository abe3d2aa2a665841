import "server-only";
import { PrismaClient } from "@/server/db/generated/client";
import { PrismaClient as PostgresPrismaClient } from "@/server/db/generated-pg/client";
import { type PostgresPoolOptions, postgresAdapter } from "@/server/db/pg-adapter";
import { type ConnectionSlot, type SqliteConnection, sqliteAdapter } from "@/server/db/sqlite-direct";

// One Prisma client per database URL, on the JS engine through a driver adapter (no engine
// binaries to download): file: URLs open SQLite (better-sqlite3), postgres:// and postgresql://
// URLs PostgreSQL (pg). Both clients are generated from the same models (prisma/schema.prisma
// and its PostgreSQL twin), so the app types against one PrismaClient: the SQLite one.

export type DatabaseProvider = "sqlite" | "postgresql";

/** Which database a URL names; throws on anything else. */
export function databaseProvider(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`Unsupported database URL (expected file: or postgresql://): ${databaseUrl.split(":")[0]}:…`);
}

const providers = new WeakMap<object, DatabaseProvider>();

export function createPrismaClient(databaseUrl: string, pool: PostgresPoolOptions = {}): PrismaClient {
  if (databaseProvider(databaseUrl) === "postgresql") {
    const adapter = postgresAdapter(databaseUrl, pool);
    // Same models, same delegates (server/db/client.test.ts checks): the cast only forgets
    // provider-specific extras such as the wider choice of isolation levels.
    const client = new PostgresPrismaClient({
      adapter,
      transactionOptions: { isolationLevel: "Serializable" },
    }) as unknown as PrismaClient;
    retrySerializationFailures(client);
    providers.set(client, "postgresql");
    return client;
  }
  const slot: ConnectionSlot = { connection: null };
  const client = new PrismaClient({ adapter: sqliteAdapter(databaseUrl, slot) });
  providers.set(client, "sqlite");
  sqliteSlots.set(client, slot);
  return client;
}

const sqliteSlots = new WeakMap<object, ConnectionSlot>();

/** The better-sqlite3 connection under a SQLite client (connecting it if need be), for sqlite-direct.ts. */
export async function sqliteConnectionOf(db: PrismaClient): Promise<SqliteConnection> {
  const slot = sqliteSlots.get(db);
  if (!slot) throw new Error("not a SQLite client made by createPrismaClient");
  if (!slot.connection?.open) await db.$connect();
  if (!slot.connection?.open) throw new Error("the SQLite connection did not open");
  return slot.connection;
}

/**
 * The stores' transactions read, then write on what they read ("no open surge: start one",
 * "this idempotency key is new: claim it"). SQLite runs one transaction at a time, so that is
 * safe as written; PostgreSQL runs them side by side. Every transaction there is Serializable
 * (set on the client), and one that PostgreSQL aborts because another got in the way (SQLSTATE
 * 40001, Prisma P2034) rolled back entirely and is simply run again.
 */
const serializationAttempts = 8;

function retrySerializationFailures(client: PrismaClient): void {
  const run = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const retrying = async (...args: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(...args);
      } catch (error) {
        if (attempt >= serializationAttempts || !isSerializationFailure(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
      }
    }
  };
  (client as unknown as { $transaction: typeof retrying }).$transaction = retrying;
}

export function isSerializationFailure(error: unknown): boolean {
  const { code, message, cause } = (error ?? {}) as { code?: unknown; message?: unknown; cause?: unknown };
  if (code === "P2034" || code === "40001" || code === "40P01") return true;
  // A conflict PostgreSQL reports at COMMIT reaches us as the driver adapter's own error,
  // not converted to P2034: { name: "DriverAdapterError", cause: { kind: "TransactionWriteConflict" } }.
  const kind = (cause as { kind?: unknown } | null | undefined)?.kind;
  if (kind === "TransactionWriteConflict") return true;
  return typeof message === "string" && /could not serialize access|deadlock detected|write ?conflict/i.test(message);
}

/** The database behind a client made by createPrismaClient (for the few raw SQL statements). */
export function providerOf(db: PrismaClient): DatabaseProvider {
  return providers.get(db) ?? "sqlite";
}

export type { PrismaClient };
