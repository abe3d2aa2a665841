import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma 6.19's transaction manager ends a transaction by sending COMMIT (or ROLLBACK) on the
// transaction's connection and only then calling the adapter's commit(), which is what gives the
// connection back to the pool. When PostgreSQL refuses the COMMIT (a serialization failure found
// at commit, a deferred constraint), the manager marks the transaction closed and never returns
// the connection: one connection lost for every conflict at commit, until the pool (10) is empty
// and every query waits for ever. Serializable transactions under contention (two triggers at
// once, the alert worker beside a notify) hit exactly that. PostgreSQL has already ended the
// transaction when its COMMIT fails, so the connection is clean: we give it back and rethrow.

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type PgTransaction = Awaited<ReturnType<PgAdapter["startTransaction"]>>;

export interface PostgresPoolOptions {
  /** Connections in the pool (pg's default: 10). */
  maxConnections?: number;
}

/** A PrismaPg adapter whose transactions release their connection when COMMIT or ROLLBACK fails. */
export function postgresAdapter(connectionString: string, options: PostgresPoolOptions = {}): PrismaPg {
  const factory = new PrismaPg({
    connectionString,
    ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
  });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => releasingTransactions(await connect());
  return factory;
}

function releasingTransactions(adapter: PgAdapter): PgAdapter {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => releaseOnFailedEnd(await start(isolationLevel));
  return adapter;
}

const endStatements = new Set(["COMMIT", "ROLLBACK"]);

function releaseOnFailedEnd(tx: PgTransaction): PgTransaction {
  const executeRaw = tx.executeRaw.bind(tx);
  tx.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      // rollback() only releases the connection here (the adapter sends no SQL of its own).
      if (endStatements.has(query.sql)) await tx.rollback();
      throw error;
    }
  };
  return tx;
}
