import { afterEach, describe, expect, it } from "vitest";
import { TransactionMisuseError } from "../../src/db/connection.js";
import { newRowId } from "../../src/db/ids.js";
import { isUniqueViolation } from "../../src/db/repositories/errors.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { deferred } from "../helpers/wait.js";

describe.each(DATABASE_KINDS)("Kysely on the client's connection ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("rolls a transaction back when its work throws, and names a unique violation by its kind", async () => {
    db = await kind.create();
    const { prisma, kysely, transaction } = db.database;
    const at = new Date();
    const key = (value: string) => ({ key: value, resultId: "r", createdAt: at });
    const failure = await transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values(key("first")).execute();
      await kysely.insertInto("IdempotencyKey").values(key("first")).execute();
    }).catch((error: unknown) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    expect(await prisma.idempotencyKey.count()).toBe(0);
    // The connection is usable again, inside and outside a transaction.
    await transaction(() => kysely.insertInto("IdempotencyKey").values(key("second")).execute());
    expect(await kysely.selectFrom("IdempotencyKey").select("key").execute()).toEqual([{ key: "second" }]);
  });

  it("keeps statements made outside a transaction out of it: no uncommitted reads, no writes undone", async () => {
    db = await kind.create();
    const { prisma, kysely, transaction } = db.database;
    const at = new Date();
    const { promise: gate, resolve: release } = deferred();
    const { promise: opened, resolve: inside } = deferred();
    const rolledBack = transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values({ key: "uncommitted", resultId: "r", createdAt: at }).execute();
      inside();
      await gate;
      throw new Error("roll back");
    }).catch((error: Error) => error.message);
    await opened;
    // Made while the transaction is open, by another call (as the outbox marks messages while
    // a submission is being stored): on SQLite's one connection they would have joined it.
    const read = prisma.idempotencyKey.findMany({ select: { key: true } });
    const written = kysely.insertInto("IdempotencyKey").values({ key: "outside", resultId: "r", createdAt: at }).execute();
    release();
    expect(await rolledBack).toBe("roll back");
    expect(await read).not.toContainEqual({ key: "uncommitted" });
    await written;
    expect((await prisma.idempotencyKey.findMany({ select: { key: true } })).map((row) => row.key)).toEqual(["outside"]);
  });

  it("runs a statement inside the transaction of its call, and refuses the client there at once", async () => {
    db = await kind.create();
    const { prisma, kysely, transaction, interactive } = db.database;
    const at = new Date();
    const refused = await transaction(async () => {
      await kysely.insertInto("IdempotencyKey").values({ key: "inside", resultId: "r", createdAt: at }).execute();
      // Sees its own uncommitted row: it runs in the transaction, not beside it.
      expect(await kysely.selectFrom("IdempotencyKey").select("key").execute()).toEqual([{ key: "inside" }]);
      // On SQLite this would have waited for this very transaction to end (the 5 s timeout).
      return prisma.idempotencyKey.count().then(
        () => "not refused",
        (error: unknown) => error,
      );
    });
    expect(refused).toBeInstanceOf(TransactionMisuseError);
    expect((refused as TransactionMisuseError).kind).toBe("OUTSIDE_OPEN_TRANSACTION");
    expect((refused as Error).message).toMatch(/outside the open transaction.*use database\.kysely/s);
    expect(await prisma.idempotencyKey.count()).toBe(1);

    // Prisma's interactive transaction carries itself the same way: Kysely joins it, `prisma` is refused.
    const outcome = await interactive(async (tx) => {
      await tx.idempotencyKey.create({ data: { key: "client", resultId: "r", createdAt: at } });
      const seen = await kysely.selectFrom("IdempotencyKey").select("key").orderBy("key").execute();
      const outside = await prisma.setting.findMany().then(
        () => "not refused",
        (error: unknown) => error,
      );
      return { seen: seen.map((row) => row.key), outside };
    });
    expect(outcome.seen).toEqual(["client", "inside"]);
    expect(outcome.outside).toBeInstanceOf(TransactionMisuseError);
    // After the transaction the client is everyone's again.
    expect(await prisma.idempotencyKey.count()).toBe(2);
  });

  it("binds every value: text that looks like SQL is stored as typed", async () => {
    db = await kind.create();
    const { kysely } = db.database;
    const hostile = `x'); DELETE FROM "IdempotencyKey"; --`;
    await kysely.insertInto("IdempotencyKey").values({ key: "safe", resultId: "r", createdAt: new Date() }).execute();
    await kysely.insertInto("IdempotencyKey").values({ key: hostile, resultId: "r", createdAt: new Date() }).execute();
    const rows = await kysely.selectFrom("IdempotencyKey").select("key").where("resultId", "=", "r").orderBy("key", "desc").execute();
    expect(rows.map((row) => row.key)).toEqual([hostile, "safe"]);
  });

  it("saves a conversation once per platform and id: a later save updates it and revives a dead one", async () => {
    db = await kind.create();
    const { conversations } = createPrismaRepositories(db.database);
    const first = { platform: "teams" as const, conversationId: "a:1", kind: "personal", identityKey: "teams:aad-1", reference: '{"v":1}' };
    await conversations.save(first);
    await db.database.prisma.conversationRef.updateMany({ data: { dead: true } });
    await conversations.save({ ...first, reference: '{"v":2}', identityKey: undefined });
    expect(
      await db.database.prisma.conversationRef.findMany({
        select: { conversationId: true, reference: true, identityKey: true, dead: true },
      }),
    ).toEqual([{ conversationId: "a:1", reference: '{"v":2}', identityKey: null, dead: false }]);
    expect(await conversations.find("teams", "a:1")).toMatchObject({ reference: '{"v":2}', dead: false });
  });

  it("makes ids that sort in the order they were made", () => {
    const ids = Array.from({ length: 1_000 }, () => newRowId());
    expect([...ids].sort()).toEqual(ids);
  });
});
