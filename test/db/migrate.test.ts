import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { checkReadiness } from "../../src/db/readiness.js";
import { knownMigrationNames } from "../../src/db/schema-engine.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("applyMigrations on $name", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("creates the schema in an empty database, records it, and is a no-op the second time", async () => {
    db = await kind.create({ migrate: false });
    expect(await checkReadiness(db.database)).toEqual({ ready: false, reason: expect.stringMatching(/not migrated/) });
    const names = await knownMigrationNames(kind.name);
    expect(await applyMigrations(db.database.target)).toEqual(names);
    expect(await applyMigrations(db.database.target)).toEqual([]);
    const rows = await db.database.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    expect(await checkReadiness(db.database)).toEqual({ ready: true });
    expect(await db.database.prisma.maRequest.count()).toBe(0);
  });

  it("reports pending migrations as not ready", async () => {
    db = await kind.create();
    await db.database.prisma.$executeRawUnsafe(`DELETE FROM "_prisma_migrations"`);
    expect(await checkReadiness(db.database)).toEqual({ ready: false, reason: expect.stringMatching(/pending migrations: \d+_init/) });
  });
});

describe("checkReadiness", () => {
  it("reports an unreachable database", async () => {
    // Port 9 (discard) on loopback has nothing listening: the connection is refused at once.
    const database = await openDatabase("postgresql://postgres@127.0.0.1:9/none");
    try {
      expect(await checkReadiness(database)).toEqual({ ready: false, reason: "database unreachable" });
    } finally {
      await database.close();
    }
  });
});
