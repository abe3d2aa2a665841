import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  migratedSchemaPath,
  postgresSchemaPath,
  renderPostgresSchema,
  sqliteSchemaPath,
} from "@/server/db/postgres-schema";

// One schema source, two databases: the committed PostgreSQL twin, the snapshot of the last
// migration and both migration histories must keep up with prisma/schema.prisma.

const read = (file: string) => fs.readFileSync(file, "utf8");
const migrations = (dir: string) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe("the PostgreSQL schema", () => {
  it("is prisma/schema.prisma rendered (else: npm run db:schema)", () => {
    expect(read(postgresSchemaPath)).toBe(renderPostgresSchema(read(sqliteSchemaPath)));
  });

  it("differs from the source only in provider, placeholder URL and client output", () => {
    const rendered = renderPostgresSchema(read(sqliteSchemaPath));
    expect(rendered).toMatch(/provider\s*=\s*"postgresql"/);
    expect(rendered).toContain('output       = "../../server/db/generated-pg"');
    expect(rendered).not.toContain('"sqlite"');
    expect(() => renderPostgresSchema("model A { id String @id }")).toThrow(/no longer matches/);
  });
});

describe("migrations", () => {
  it("cover every change of prisma/schema.prisma (else: npm run db:migration -- NAME)", () => {
    expect(read(migratedSchemaPath)).toBe(read(sqliteSchemaPath));
  });

  it("exist under the same names for both databases, each with its lock", () => {
    const sqlite = migrations(path.join("prisma", "migrations"));
    expect(sqlite.length).toBeGreaterThanOrEqual(4);
    expect(migrations(path.join("prisma", "postgres", "migrations"))).toEqual(sqlite);
    for (const name of sqlite) {
      expect(read(path.join("prisma", "postgres", "migrations", name, "migration.sql")).trim()).not.toBe("");
    }
    expect(read(path.join("prisma", "migrations", "migration_lock.toml"))).toContain('provider = "sqlite"');
    expect(read(path.join("prisma", "postgres", "migrations", "migration_lock.toml"))).toContain(
      'provider = "postgresql"',
    );
  });
});
