import { afterEach, describe, expect, it } from "vitest";
import { insertRows, newRowId } from "../../src/db/raw-insert.js";
import { isUniqueViolation } from "../../src/db/repositories/errors.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { SqlFragment } from "../../src/db/sql.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("statements on the driver adapter ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("stores dates, booleans and nulls exactly as Prisma's client reads them", async () => {
    db = await kind.create();
    const { prisma, sql } = db.database;
    const at = new Date("2026-11-30T14:05:06.789Z");
    const person = await prisma.person.create({ data: { displayName: "Pat" } });
    const id = newRowId();
    await insertRows(sql, "MaRequest", [
      {
        id,
        number: "MA-2026-0042",
        year: 2026,
        seq: 42,
        status: "SUBMITTED",
        version: 1,
        requesterId: person.id,
        organization: "PEO Ships",
        component: "NAVY",
        program: "",
        effortTypes: "FMS,BPC",
        supportType: "ADVISORY",
        lifecyclePhase: "LOR",
        problemStatement: "p",
        desiredOutcome: "",
        audienceSize: 7,
        preferredStart: "2027-01-04",
        preferredEnd: "2027-01-05",
        deliveryMode: "VIRTUAL",
        location: "",
        travelFunded: true,
        pocName: "Pat",
        pocEmail: "pat@navy.mil",
        eligibilityCheck: false,
        sourcePlatform: "slack",
        leadId: null,
        statusSince: at,
        createdAt: at,
        updatedAt: at,
      },
    ]);
    const row = await prisma.maRequest.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ travelFunded: true, eligibilityCheck: false, leadId: null, audienceSize: 7, effortTypes: "FMS,BPC" });
    expect(row.createdAt.toISOString()).toBe(at.toISOString());
    // Prisma's own date filters find it: the stored text is the client's format, not merely readable.
    expect(await prisma.maRequest.count({ where: { createdAt: { gte: at, lte: at } } })).toBe(1);
  });

  it("rolls a transaction back when its work throws, and names a unique violation by its kind", async () => {
    db = await kind.create();
    const { prisma, sql } = db.database;
    const at = new Date();
    const key = (value: string) => ({ key: value, resultId: "r", createdAt: at });
    const failure = await sql
      .transaction(async (tx) => {
        await insertRows(tx, "IdempotencyKey", [key("first")]);
        await insertRows(tx, "IdempotencyKey", [key("first")]);
      })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    expect(await prisma.idempotencyKey.count()).toBe(0);
    // The connection is usable again, inside and outside a transaction.
    await sql.transaction((tx) => insertRows(tx, "IdempotencyKey", [key("second")]));
    expect(await sql.query<{ key: string }>(`SELECT "key" FROM "IdempotencyKey"`)).toEqual([{ key: "second" }]);
  });

  it("keeps statements made outside a transaction out of it: no uncommitted reads, no writes undone", async () => {
    db = await kind.create();
    const { prisma, sql } = db.database;
    const at = new Date();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const rolledBack = sql
      .transaction(async (tx) => {
        await insertRows(tx, "IdempotencyKey", [{ key: "uncommitted", resultId: "r", createdAt: at }]);
        await gate;
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Made while the transaction is open, as the outbox reads and marks messages while a
    // submission is being stored: on SQLite's one connection they would have joined it.
    const read = prisma.idempotencyKey.findMany({ select: { key: true } });
    const written = insertRows(sql, "IdempotencyKey", [{ key: "outside", resultId: "r", createdAt: at }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    expect(await rolledBack).toBe("roll back");
    expect(await read).not.toContainEqual({ key: "uncommitted" });
    await written;
    expect((await prisma.idempotencyKey.findMany({ select: { key: true } })).map((row) => row.key)).toEqual(["outside"]);
  });

  it("binds every value of a tagged statement, and splices only the fragments this code chose", async () => {
    db = await kind.create();
    const { sql } = db.database;
    const hostile = `x'); DELETE FROM "IdempotencyKey"; --`;
    await sql.run`INSERT INTO "IdempotencyKey" ("key", "resultId", "createdAt") VALUES (${"safe"}, ${"r"}, ${new Date()})`;
    await sql.run`INSERT INTO "IdempotencyKey" ("key", "resultId", "createdAt") VALUES (${hostile}, ${"r"}, ${new Date()})`;
    const order = new SqlFragment(`ORDER BY "key" DESC`);
    const rows = await sql.rows<{ key: string }>`SELECT "key" FROM "IdempotencyKey" WHERE "resultId" = ${"r"} ${order}`;
    // Descending, as the fragment says: "x…" before "safe"; the hostile text stored as typed.
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
