import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { deferred } from "../helpers/wait.js";

/**
 * The open transaction travels with its own calls only (src/db/connection.ts enables the
 * context only while a transaction is open): work begun before a transaction, or inside one
 * that has ended, runs outside the one open when it issues a statement, and survives its rollback.
 */
describe.each(DATABASE_KINDS)("the current transaction's reach ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  const later = () => new Promise((resolve) => setTimeout(resolve, 30));

  it("keeps work begun outside any transaction out of one opened while it waited", async () => {
    db = await kind.create();
    const { prisma, kysely, transaction } = db.database;
    const at = new Date();
    const { promise: gate, resolve: release } = deferred();
    // Begun while no transaction is open; its statement comes while one is.
    const outside = (async () => {
      await gate;
      await kysely.insertInto("IdempotencyKey").values({ key: "outside", resultId: "r", createdAt: at }).execute();
    })();
    const failed = await transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values({ key: "inside", resultId: "r", createdAt: at }).execute();
      release();
      await later();
      throw new Error("rolled back");
    }).catch((error: Error) => error.message);
    await outside;
    expect(failed).toBe("rolled back");
    expect((await prisma.idempotencyKey.findMany()).map((row) => row.key)).toEqual(["outside"]);
  });

  it("keeps work left running by an ended transaction out of the next one", async () => {
    db = await kind.create();
    const { prisma, kysely, transaction } = db.database;
    const at = new Date();
    const { promise: gate, resolve: release } = deferred();
    let leftover: Promise<void> | undefined;
    await transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values({ key: "first", resultId: "r", createdAt: at }).execute();
      // Not awaited here: it goes on after this transaction has committed.
      leftover = (async () => {
        await gate;
        await kysely.insertInto("IdempotencyKey").values({ key: "leftover", resultId: "r", createdAt: at }).execute();
      })();
    });
    const failed = await transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values({ key: "second", resultId: "r", createdAt: at }).execute();
      release();
      await later();
      throw new Error("rolled back");
    }).catch((error: Error) => error.message);
    await leftover;
    expect(failed).toBe("rolled back");
    expect((await prisma.idempotencyKey.findMany({ orderBy: { key: "asc" } })).map((row) => row.key)).toEqual(["first", "leftover"]);
    // And a transaction's own calls still run in it, however many were opened and closed before.
    const inside = await transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values({ key: "third", resultId: "r", createdAt: at }).execute();
      return (await kysely.selectFrom("IdempotencyKey").select("key").where("key", "=", "third").execute()).length;
    });
    expect(inside).toBe(1);
  });
});
