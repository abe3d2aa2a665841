import "server-only";
import path from "node:path";

// prisma/schema.prisma (SQLite) is the one schema Floodgate's models are written in. Prisma
// fixes the provider per schema file, so PostgreSQL gets its own schema, rendered from that one
// by scripts/prisma-postgres.ts and committed; a unit test fails when the committed copy is stale.

export const sqliteSchemaPath = path.join("prisma", "schema.prisma");
export const postgresSchemaPath = path.join("prisma", "postgres", "schema.prisma");
/** prisma/schema.prisma as of the newest migration: what `npm run db:migration` diffs from. */
export const migratedSchemaPath = path.join("prisma", "migrated-schema.prisma");

export const postgresSchemaHeader = `// GENERATED from prisma/schema.prisma by \`npm run db:schema\`: do not edit (edit the source,
// then run it). PostgreSQL has its own schema file because Prisma fixes the provider per file.
`;

/** The PostgreSQL twin of the SQLite schema: same models, other provider, other client output. */
export function renderPostgresSchema(sqliteSchema: string): string {
  const replace = (text: string, from: RegExp, to: string): string => {
    if (!from.test(text))
      throw new Error(`prisma/schema.prisma no longer matches ${from}: update renderPostgresSchema`);
    return text.replace(from, to);
  };
  let schema = sqliteSchema;
  schema = replace(schema, /^(\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"');
  schema = replace(schema, /^(\s*url\s*=\s*)"file:[^"]*"/m, '$1"postgresql://localhost/placeholder"');
  // The schema file sits one folder deeper; the client lands beside the SQLite one.
  schema = replace(schema, /^(\s*output\s*=\s*)"\.\.\/server\/db\/generated"/m, '$1"../../server/db/generated-pg"');
  return postgresSchemaHeader + schema;
}
