// The rows one submission writes, with the raw driver alone: the baseline of the submission
// bench and of the "bare Bolt app that stores" the Slack bench compares acks with.
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { validForm } from "../test/helpers/core.js";

export const FORM = validForm({ preferredStart: "2027-04-06", preferredEnd: "2027-04-08" });

/** The same rows a submission writes, with the raw driver, in one transaction each. */
function rawStatements(personId: string, year: number) {
  const id = randomUUID();
  const at = new Date().toISOString();
  return {
    id,
    counter: {
      sql: `INSERT INTO "RequestCounter" ("year","last") VALUES ($1, 1) ON CONFLICT ("year") DO UPDATE SET "last" = "RequestCounter"."last" + 1 RETURNING "last"`,
      args: [year],
    },
    request: (seq: number) => ({
      sql: `INSERT INTO "MaRequest" ("id","number","year","seq","status","version","requesterId","organization","component","program","effortTypes","supportType","lifecyclePhase","problemStatement","desiredOutcome","audienceSize","preferredStart","preferredEnd","deliveryMode","location","travelFunded","pocName","pocEmail","eligibilityCheck","sourcePlatform","createdAt","updatedAt") VALUES ($1,$2,$3,$4,'SUBMITTED',1,$5,$6,'ARMY',$7,'FMS','ADVISORY','LOR',$8,'',12,'2027-04-06','2027-04-08','VIRTUAL','',false,'Jordan Lee','jordan.lee@army.mil',false,'slack',$9,$9)`,
      args: [
        id,
        `MA-${year}-${String(seq).padStart(4, "0")}`,
        year,
        seq,
        personId,
        FORM.organization,
        FORM.program,
        FORM.problemStatement,
        at,
      ],
    }),
    link: { sql: `INSERT INTO "RequestCaseLink" ("requestId","caseId") VALUES ($1,'BN-B-SAA')`, args: [id] },
    audit: {
      sql: `INSERT INTO "AuditEvent" ("id","requestId","actorId","action","toStatus","note","at") VALUES ($1,$2,$3,'submit','SUBMITTED','',$4)`,
      args: [randomUUID(), id, personId, at],
    },
    key: { sql: `INSERT INTO "IdempotencyKey" ("key","resultId","createdAt") VALUES ($1,$2,$3)`, args: [`raw:${id}`, id, at] },
    // What the request owes, written with it: the requester's notice and the triage card.
    card: {
      sql: `INSERT INTO "Outbox" ("id","kind","subjectKey","version","platform","conversationId","body","dedupeKey","nextAttemptAt","createdAt") VALUES ($1,'notice',$2,1,'slack','@slack:UBENCHSUBMIT','{}',$3,$4,$4), ($5,'triage-card',$2,1,'slack','C0','',$6,$4,$4)`,
      args: [randomUUID(), `request:${id}`, `notice:${id}`, at, randomUUID(), `triage-card:${id}`],
    },
  };
}

/** SQLite via better-sqlite3; booleans are integers and placeholders are `?`. */
export function sqliteRaw(file: string, personId: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  /** `$n` placeholders (PostgreSQL's) become positional `?`, each bound in order of appearance. */
  const run = (statement: { sql: string; args: unknown[] }, mode: "get" | "run") => {
    const order = [...statement.sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
    const prepared = db.prepare(statement.sql.replace(/\$\d+/g, "?").replace(/\bfalse\b/g, "0"));
    const args = order.map((index) => statement.args[index]);
    return mode === "get" ? prepared.get(...args) : prepared.run(...args);
  };
  return {
    insert: () => {
      const s = rawStatements(personId, 2031);
      db.transaction(() => {
        const { last } = run(s.counter, "get") as { last: number };
        run(s.request(last), "run");
        for (const statement of [s.link, s.audit, s.key, s.card]) run(statement, "run");
      })();
    },
    close: () => db.close(),
  };
}

export function postgresRaw(url: string, personId: string) {
  const client = new pg.Client({ connectionString: url });
  const ready = client.connect();
  return {
    insert: async () => {
      await ready;
      const s = rawStatements(personId, 2031);
      await client.query("BEGIN");
      const { rows } = await client.query(s.counter.sql, s.counter.args);
      const request = s.request(rows[0].last);
      await client.query(request.sql, request.args);
      for (const statement of [s.link, s.audit, s.key, s.card]) await client.query(statement.sql, statement.args);
      await client.query("COMMIT");
    },
    close: () => client.end(),
  };
}
