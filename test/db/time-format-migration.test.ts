import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations } from "../../src/db/migrate.js";
import { NO_FILTERS, openSchemaEngine, readMigrationList } from "../../src/db/schema-engine.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const MIGRATION = "20261201220000_one_time_format";

describe.each(DATABASE_KINDS)("the one-time-format migration on $name", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("rewrites instants stored the old way so Prisma's same-day filters find them", async () => {
    db = await kind.create({ migrate: false });
    const { prisma, kysely, target } = db.database;
    // The database as the previous version made it: every migration before this one.
    const engine = await openSchemaEngine(target);
    try {
      const list = await readMigrationList(target.provider);
      const before = { ...list, migrationDirectories: list.migrationDirectories.filter((folder) => folder.path < MIGRATION) };
      await engine.engine.applyMigrations({ migrationsList: before, filters: NO_FILTERS });
    } finally {
      await engine.close();
    }
    // Rows as the old code could leave them: instants to the column's default, or as ISO text with Z.
    await sql`INSERT INTO "IdempotencyKey" ("key", "resultId") VALUES ('by-default', 'r')`.execute(kysely);
    await sql`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('zulu', 'v', ${"2026-12-01T19:51:14.123Z"})`.execute(kysely);
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const found = async () => ({
      keys: await prisma.idempotencyKey.count({ where: { createdAt: { gte: today } } }),
      settings: await prisma.setting.count({ where: { updatedAt: { gte: new Date("2026-12-01T19:51:14.123Z") } } }),
    });
    if (kind.name === "sqlite") {
      // The bug this migration removes: the default's text sorts before today's midnight in Prisma's format.
      expect((await found()).keys).toBe(0);
    }

    // This one first, then any that came after it.
    expect((await applyMigrations(target))[0]).toBe(MIGRATION);

    expect(await found()).toEqual({ keys: 1, settings: 1 });
    const key = await prisma.idempotencyKey.findUniqueOrThrow({ where: { key: "by-default" } });
    expect(Math.abs(key.createdAt.getTime() - Date.now())).toBeLessThan(24 * 3600_000);
    expect((await prisma.setting.findUniqueOrThrow({ where: { key: "zulu" } })).updatedAt.toISOString()).toBe("2026-12-01T19:51:14.123Z");
    if (kind.name === "sqlite") {
      const { rows } = await sql<{ createdAt: string }>`SELECT "createdAt" FROM "IdempotencyKey"`.execute(kysely);
      expect(rows[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+00:00$/);
      const settings = await sql<{ updatedAt: string }>`SELECT "updatedAt" FROM "Setting"`.execute(kysely);
      expect(settings.rows[0]?.updatedAt).toBe("2026-12-01T19:51:14.123+00:00");
    }
  });
});
