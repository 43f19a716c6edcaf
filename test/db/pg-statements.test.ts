import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { MaRequest } from "../../src/core/model.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { NAMED_STATEMENTS_MAX, statementNames } from "../../src/db/database-url.js";
import { createAuditTrail } from "../../src/db/repositories/audit-trail.js";
import { requestReads } from "../../src/db/repositories/request-reads.js";
import { actorWith, coreDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe("statement names for PostgreSQL (src/db/database-url.ts)", () => {
  it("gives one name per statement text, and none past the cap", () => {
    const nameOf = statementNames();
    const first = nameOf({ sql: "select 1" });
    expect(nameOf({ sql: "select 2" })).not.toBe(first);
    expect(nameOf({ sql: "select 1" })).toBe(first);
    for (let index = 3; index <= NAMED_STATEMENTS_MAX; index++) expect(nameOf({ sql: `select ${index}` })).not.toBe("");
    // Past the cap a new text runs unnamed (parsed per run); named ones keep their names.
    expect(nameOf({ sql: "select 'one too many'" })).toBe("");
    expect(nameOf({ sql: "select 1" })).toBe(first);
  });
});

describe.each(DATABASE_KINDS.filter((kind) => kind.name === "postgresql"))("the app's connection ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("prepares a statement once per connection and runs it again by name", async () => {
    db = await kind.create();
    const { kysely, transaction } = db.database;
    const read = kysely.selectFrom("Person").select("id").where("displayName", "=", "nobody");
    // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
    const prepared = await transaction(async () => {
      await read.execute();
      await read.execute();
      return sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(kysely);
    });
    expect(prepared.rows.map((row) => row.statement)).toContain(read.compile().sql);
  });
});

describe.each(DATABASE_KINDS.filter((kind) => kind.name === "postgresql"))("a running replica's prepared reads ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("still read requests after a migration adds a column under them", async () => {
    db = await kind.create();
    const core = coreDeps(db.database);
    const actor = await actorWith(core, "slack:UREPLICA", "Requester");
    const submitted = await submitRequest(core, { actor, raw: validForm(), platform: "slack" });
    if (!submitted.ok) throw new Error("the form is valid");
    const read = requestReads(db.database.kysely);
    const backend = () => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db!.database.kysely);
    // One transaction each: the same pooled connection, so the second read reuses what the first prepared.
    const before = await db.database.transaction(async () => ({
      pid: (await backend()).rows[0]?.pid,
      read: await read([submitted.request.id]),
    }));
    // A newer release's migration, from its own connection.
    const migration = new pg.Client({ connectionString: db.url });
    await migration.connect();
    await migration.query(`ALTER TABLE "MaRequest" ADD COLUMN "addedByANewerRelease" TEXT`).finally(() => migration.end());
    const after = await db.database.transaction(async () => ({
      pid: (await backend()).rows[0]?.pid,
      read: await read([submitted.request.id]),
    }));
    expect(after.pid).toBe(before.pid);
    expect(after.read).toEqual(before.read);
    expect(after.read.map((request) => request.number)).toEqual([submitted.request.number]);
  });
});

describe.each(DATABASE_KINDS.filter((kind) => kind.name === "postgresql"))("a submission's statements ($name)", (kind) => {
  let db: TestDatabase | undefined;
  const others: Database[] = [];
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await db?.dispose();
    db = undefined;
  });

  it("are four in one transaction: number, every row needing nothing read, chain head, audit event", async () => {
    db = await kind.create();
    const sent: string[] = [];
    const database = await openDatabase(db.url, { onQuery: (statement) => sent.push(statement) });
    others.push(database);
    const core = coreDeps(database);
    const identity = { key: "slack:UONE", displayName: "Uma Quist" };
    const { actor, unsaved } = await core.people.resolveRequester(identity);
    sent.length = 0;
    const owe = (request: MaRequest) => [
      {
        kind: "notice" as const,
        platform: "slack" as const,
        conversationId: "UONE",
        subjectKey: `request:${request.id}`,
        version: 1,
        body: "{}",
        dedupeKey: `notice:${request.id}`,
      },
    ];
    const filed = await submitRequest(core, {
      actor,
      raw: validForm(),
      platform: "slack",
      idempotencyKey: "V1",
      newRequester: unsaved,
      owe,
    });
    expect(filed.ok).toBe(true);
    expect(sent).toHaveLength(5);
    expect(sent[0]).toBe("BEGIN");
    expect(sent[1]).toMatch(/^insert into "RequestCounter"/);
    for (const table of ["Person", "Identity", "IdempotencyKey", "MaRequest", "RequestCaseLink", "Outbox"]) {
      expect(sent[2]).toContain(`insert into "${table}"`);
    }
    expect(sent[4]).toMatch(/^with "head" as \(update "AuditChain".*insert into "AuditEvent"/);
    const { prisma } = db.database;
    if (!filed.ok) return;
    expect(await prisma.identity.findUnique({ where: { key: "slack:UONE" } })).toMatchObject({ personId: actor.id });
    expect(await prisma.requestCaseLink.count({ where: { requestId: filed.request.id } })).toBe(1);
    expect(await prisma.outbox.count({ where: { subjectKey: `request:${filed.request.id}` } })).toBe(1);
    // The same key again: the one statement stops at the key, and the first request answers.
    const again = await submitRequest(core, { actor, raw: validForm(), platform: "slack", idempotencyKey: "V1", owe });
    expect(again.ok && [again.request.id, again.created]).toEqual([filed.request.id, false]);
    expect(await prisma.maRequest.count()).toBe(1);
  });

  it("keep one unbroken audit chain when replicas submit at once", async () => {
    db = await kind.create();
    for (let index = 0; index < 3; index++) others.push(await openDatabase(db.url));
    await Promise.all(
      others.flatMap((replica, index) =>
        Array.from({ length: 4 }, async (_, lane) => {
          const core = coreDeps(replica);
          const { actor, unsaved } = await core.people.resolveRequester({ key: `slack:UR${index}${lane}` });
          const filed = await submitRequest(core, { actor, raw: validForm(), platform: "slack", newRequester: unsaved });
          expect(filed.ok).toBe(true);
        }),
      ),
    );
    expect(await createAuditTrail(db.database.prisma).walk()).toMatchObject({ ok: true, count: 12 });
    const numbers = (await db.database.prisma.maRequest.findMany({ select: { seq: true } })).map((row) => row.seq).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });
});
