import { afterEach, describe, expect, it } from "vitest";
import {
  captureFromPostgres,
  captureFromSqlite,
  postgresWriter,
  type SubmissionWriter,
  sqlitePragmasOf,
  sqliteWriter,
} from "../../bench/submission-rows.js";
import { owedForNewRequest } from "../../src/chat/owed.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { coreDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const TABLES = ["Person", "Identity", "MaRequest", "AuditEvent", "RequestCaseLink", "IdempotencyKey", "Outbox"] as const;

/** Rows and total text length of each table a submission writes. */
async function tally(db: TestDatabase) {
  const prisma = db.database.prisma;
  const counts: Record<string, number> = {
    Person: await prisma.person.count(),
    Identity: await prisma.identity.count(),
    MaRequest: await prisma.maRequest.count(),
    AuditEvent: await prisma.auditEvent.count(),
    RequestCaseLink: await prisma.requestCaseLink.count(),
    IdempotencyKey: await prisma.idempotencyKey.count(),
    Outbox: await prisma.outbox.count(),
  };
  const bodies = (await prisma.outbox.findMany({ select: { body: true } })).map((row) => row.body.length).sort();
  return { counts, bodies };
}

describe.each(DATABASE_KINDS)("the bench's raw-driver submission on $name", (kind) => {
  let db: TestDatabase | undefined;
  let writer: SubmissionWriter | undefined;
  afterEach(async () => {
    await writer?.close();
    await db?.dispose();
  });

  it("writes the same rows, of the same sizes, as the bot's submission it copied", async () => {
    db = await kind.create();
    const core = coreDeps(db.database);
    const actor = await core.people.resolve({ key: "slack:UBENCH0001", displayName: "bench" });
    const audience = {
      platforms: ["slack" as const],
      triageChannels: new Map([["slack" as const, "C0TRIAGE"]]),
      timeZone: "America/New_York",
    };
    const result = await submitRequest(core, {
      actor,
      raw: validForm(),
      platform: "slack",
      idempotencyKey: "slack:view:V1:h",
      owe: (request) => owedForNewRequest(audience, request),
    });
    expect(result.ok).toBe(true);
    const once = await tally(db);

    const rows = kind.name === "sqlite" ? await captureFromSqlite(db.url.slice("file:".length)) : await captureFromPostgres(db.url);
    expect(new Set(rows.map((row) => row.table))).toEqual(new Set(TABLES));
    writer =
      kind.name === "sqlite"
        ? sqliteWriter(db.url.slice("file:".length), { rows, pragmas: await sqlitePragmasOf(db.database) })
        : postgresWriter(db.url, { rows });
    await writer.insert();
    await writer.insert();

    const thrice = await tally(db);
    for (const table of TABLES) expect(thrice.counts[table], table).toBe(3 * (once.counts[table] ?? 0));
    // The owed messages' bodies (the notice's card) are copied at their size, not emptied.
    expect(thrice.bodies).toEqual([...once.bodies, ...once.bodies, ...once.bodies].sort());
    // Each copy is a request of its own, numbered by the year's counter after the bot's.
    const numbers = (await db.database.prisma.maRequest.findMany({ select: { number: true }, orderBy: { seq: "asc" } })).map(
      (request) => request.number,
    );
    expect(numbers).toHaveLength(3);
    expect(new Set(numbers).size).toBe(3);
  });
});
