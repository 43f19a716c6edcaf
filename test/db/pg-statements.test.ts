import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { NAMED_STATEMENTS_MAX, statementNames } from "../../src/db/database-url.js";
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
