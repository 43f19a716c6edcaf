import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { applyMigrations, migrateIfNeeded } from "../../src/db/migrate.js";
import { createAuditTrail } from "../../src/db/repositories/audit-trail.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { NO_FILTERS, openSchemaEngine, readMigrationList } from "../../src/db/schema-engine.js";
import { actorWith, coreDeps, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const MIGRATION = "20261202005303_audit_chain";

describe.each(DATABASE_KINDS)("the audit chain on $name", (kind) => {
  let db: TestDatabase | undefined;
  const others: Database[] = [];
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await db?.dispose();
    db = undefined;
  });

  it("stays one unbroken chain under concurrent writes from several connections (replicas)", async () => {
    db = await kind.create();
    const deps = coreDeps(db.database, fixedClock(TEST_NOW));
    const requester = await actorWith(deps, "slack:UREQ", "Jordan Lee");
    const filed = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack" });
    if (!filed.ok) throw new Error("the form should be valid");
    // PostgreSQL: three "replicas", connections of their own, each with two writers at once.
    // SQLite runs one replica (one writer at a time by design): six writers on its connection.
    if (kind.name === "postgresql") for (let index = 0; index < 3; index++) others.push(await openDatabase(db.url));
    const replicas = others.length > 0 ? others : [db.database];
    const lanes = Array.from({ length: 6 }, (_, lane) => createPrismaRepositories(replicas[lane % replicas.length]!));
    const at = new Date(TEST_NOW);
    await Promise.all(
      lanes.map(async (repositories, lane) => {
        for (let index = 0; index < 6; index++) {
          await repositories.requests.recordEvent({
            requestId: filed.request.id,
            actorId: requester.id,
            action: "note",
            status: "SUBMITTED",
            note: `writer ${lane} event ${index}`,
            at,
          });
        }
      }),
    );
    const verdict = await createAuditTrail(db.database.prisma).walk();
    expect(verdict).toMatchObject({ ok: true, count: 37 });
    const rows = await db.database.prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 37 }, (_, index) => index + 1));
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(37);
  });

  it("chains the events of a database made by the previous version when migrating", async () => {
    db = await kind.create({ migrate: false });
    const { kysely, target } = db.database;
    // The database as the previous version made it: every migration before this one.
    const engine = await openSchemaEngine(target);
    try {
      const list = await readMigrationList(target.provider);
      const before = { ...list, migrationDirectories: list.migrationDirectories.filter((folder) => folder.path < MIGRATION) };
      await engine.engine.applyMigrations({ migrationsList: before, filters: NO_FILTERS });
    } finally {
      await engine.close();
    }
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));
    await sql`INSERT INTO "Person" ("id", "displayName", "createdAt", "updatedAt") VALUES ('p1', 'Jordan Lee', ${at(0)}, ${at(0)})`.execute(
      kysely,
    );
    await sql`INSERT INTO "MaRequest" ("id", "number", "year", "seq", "status", "requesterId", "organization", "component", "program",
      "effortTypes", "supportType", "lifecyclePhase", "problemStatement", "audienceSize", "preferredStart", "preferredEnd", "deliveryMode",
      "pocName", "pocEmail", "statusSince", "createdAt", "updatedAt")
      VALUES ('r1', 'MA-2026-0001', 2026, 1, 'ACCEPTED', 'p1', 'Org', 'ARMY', 'Prog', 'FMS', 'ADVISORY', 'LOR', 'Problem', 5,
      '2026-12-01', '2026-12-02', 'VIRTUAL', 'Jordan', 'j@army.mil', ${at(0)}, ${at(0)}, ${at(0)})`.execute(kysely);
    // Written out of time order on purpose: the chain follows their times.
    await sql`INSERT INTO "AuditEvent" ("id", "requestId", "actorId", "action", "fromStatus", "toStatus", "note", "at")
      VALUES ('e2', 'r1', 'p1', 'accept', 'SUBMITTED', 'ACCEPTED', 'lead: Dana', ${at(5)}),
             ('e1', 'r1', 'p1', 'submit', NULL, 'SUBMITTED', '', ${at(1)})`.execute(kysely);
    await sql`INSERT INTO "WorkbenchEvent" ("id", "actorId", "action", "subject", "note", "at")
      VALUES ('w1', 'p1', 'skills', 'p1', 'fms', ${at(3)})`.execute(kysely);

    const applied = await migrateIfNeeded(db.database);
    expect(applied[0]).toBe(MIGRATION);

    const verdict = await createAuditTrail(db.database.prisma).walk();
    expect(verdict).toMatchObject({ ok: true, count: 3 });
    const order = [
      ...(await db.database.prisma.auditEvent.findMany()).map((row) => [row.seq, row.id]),
      ...(await db.database.prisma.workbenchEvent.findMany()).map((row) => [row.seq, row.id]),
    ].sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(order).toEqual([
      [1, "e1"],
      [2, "w1"],
      [3, "e2"],
    ]);
    // New events follow the sealed ones.
    await createPrismaRepositories(db.database).requests.recordEvent({
      requestId: "r1",
      actorId: "p1",
      action: "note",
      status: "ACCEPTED",
      note: "after the migration",
      at: at(9),
    });
    expect(await createAuditTrail(db.database.prisma).walk()).toMatchObject({ ok: true, count: 4 });
    expect(await applyMigrations(target)).toEqual([]);
  });
});
