import "server-only";
import type { DatabaseProvider } from "@/server/db/client";

// The little raw SQL Floodgate has (multi-row inserts and updates on hot paths) is written once
// with `?` placeholders and quoted identifiers, which both SQLite and PostgreSQL understand once
// PostgreSQL's placeholders are numbered. The SQL must hold no `?` other than placeholders.

export type SqlDialect = {
  provider: DatabaseProvider;
  /** The statement with its placeholders in this database's form. */
  sql(text: string): string;
  /**
   * A placeholder for a DateTime value in a position where PostgreSQL cannot infer the type
   * (a CASE branch): `?` on SQLite, a cast to Prisma's TIMESTAMP(3) on PostgreSQL.
   */
  timestampParam: string;
};

export function sqlDialect(provider: DatabaseProvider): SqlDialect {
  if (provider === "sqlite") return { provider, sql: (text) => text, timestampParam: "?" };
  return {
    provider,
    sql(text) {
      let n = 0;
      return text.replace(/\?/g, () => `$${++n}`);
    },
    timestampParam: "CAST(? AS TIMESTAMP(3))",
  };
}

/**
 * A DateTime value for raw SQL: SQLite columns hold the ISO text Prisma writes; PostgreSQL's
 * TIMESTAMP(3) columns (without time zone, UTC by Prisma's convention) read the same text,
 * ignoring the offset.
 */
export function sqlTimestamp(ms: number): string {
  // Arrivals come many to a millisecond: the last one is kept (2% of an arrival's CPU otherwise).
  if (ms !== lastTimestampMs) {
    lastTimestampMs = ms;
    lastTimestamp = new Date(ms).toISOString().replace("Z", "+00:00");
  }
  return lastTimestamp;
}

let lastTimestampMs = Number.NaN;
let lastTimestamp = "";
