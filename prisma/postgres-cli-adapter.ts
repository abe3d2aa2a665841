import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// The PostgreSQL adapter for the Prisma CLI (migrate deploy / diff) only, not the app.
// @prisma/adapter-pg 6.19 refuses result columns of PostgreSQL's internal types `name` and
// `"char"`, which the schema engine's catalog queries return (prisma/prisma#27403: "Column
// type 'name' could not be deserialized"). Both are text: this client reports them as text.
// Drop it once the adapter maps them itself.

const internalTextTypes = new Set([18 /* "char" */, 19 /* name */]);
const textOid = 25;

type QueryResult = { fields?: { dataTypeID: number }[] };

const retype = (result: QueryResult | undefined) => {
  for (const field of result?.fields ?? []) if (internalTextTypes.has(field.dataTypeID)) field.dataTypeID = textOid;
  return result;
};

class CatalogTextClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query has a dozen overloads; this passes them all through
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    // pg.Pool#query calls back; the adapter's transactions await a promise.
    if (typeof last === "function") {
      args[args.length - 1] = (error: Error | null, result: QueryResult) => last(error, retype(result));
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const result = (super.query as (...a: any[]) => any)(...args);
    return result && typeof result.then === "function" ? result.then(retype) : result;
  }
}

export function postgresCliAdapter(connectionString: string): PrismaPg {
  return new PrismaPg(
    new pg.Pool({ connectionString, Client: CatalogTextClient, allowExitOnIdle: true, idleTimeoutMillis: 200 }),
  );
}

/**
 * The schema engine (WebAssembly) arms a 10 s timer when it takes PostgreSQL's advisory
 * migration lock and never clears it, so every `migrate deploy` lingers 10 s after finishing.
 * Long timers of this CLI process are unref'd: they still fire while other work (a query, a
 * lock wait) keeps the process alive, but no longer hold an idle process open.
 */
export function releaseLingeringTimers(minDelayMs = 10_000): void {
  const original = globalThis.setTimeout;
  const patched = ((handler: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    const timer = original(handler, delay, ...args);
    if ((delay ?? 0) >= minDelayMs) timer.unref?.();
    return timer;
  }) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(patched, original);
}
