import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { diffSchemaAgainstMigrations } from "../../src/db/migrate.js";
import { knownMigrationNames, schemaPath } from "../../src/db/schema-engine.js";
import { DATABASE_KINDS } from "../helpers/databases.js";

/** The schema without comments, the generator and datasource blocks: what must match. */
async function models(provider: "sqlite" | "postgresql"): Promise<string> {
  const text = await readFile(schemaPath(provider), "utf8");
  return text
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/(generator|datasource)\s+\w+\s*\{[^}]*\}/g, "")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}

describe("Prisma schemas", () => {
  it("have the same models on SQLite and PostgreSQL", async () => {
    const [sqlite, postgresql] = await Promise.all([models("sqlite"), models("postgresql")]);
    expect(sqlite.length).toBeGreaterThan(1000);
    expect(postgresql).toBe(sqlite);
  });

  it("use no provider-specific native types", async () => {
    for (const provider of ["sqlite", "postgresql"] as const) expect(await models(provider)).not.toMatch(/@db\./);
  });

  it("ship the same migration names for both providers", async () => {
    const [sqlite, postgresql] = await Promise.all([knownMigrationNames("sqlite"), knownMigrationNames("postgresql")]);
    expect(sqlite.length).toBeGreaterThan(0);
    expect(postgresql).toEqual(sqlite);
  });
});

describe.each(DATABASE_KINDS)("migrations on $name", (kind) => {
  it("match the schema (no drift): replaying them leaves nothing to diff", async () => {
    const db = await kind.create({ migrate: false });
    try {
      expect(await diffSchemaAgainstMigrations(db.database.target)).toBe("");
    } finally {
      await db.dispose();
    }
  });

  it("notices a schema change that has no migration", async () => {
    const db = await kind.create({ migrate: false });
    try {
      const schema = await readFile(schemaPath(kind.name), "utf8");
      const changed = schema.replace("model Setting {", "model Setting {\n  driftProbe Int @default(0)");
      expect(await diffSchemaAgainstMigrations(db.database.target, changed)).toMatch(/driftProbe/);
    } finally {
      await db.dispose();
    }
  });
});
