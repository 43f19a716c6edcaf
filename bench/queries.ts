// `npx tsx bench/queries.ts`: the statements one submission and one triage move issue,
// counted with Prisma's query events on a fresh SQLite file (a closing-note number, not a ratio).
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { owedForMove, owedForNewRequest } from "../src/chat/owed.js";
import { systemClock } from "../src/core/clock.js";
import { moveRequest } from "../src/core/requests/move-request.js";
import { submitRequest } from "../src/core/requests/submit-request.js";
import { openDatabase } from "../src/db/client.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createPrismaRepositories } from "../src/db/repositories/index.js";
import { createLogger } from "../src/logger.js";
import { createDispatcher } from "../src/outbox/dispatcher.js";
import { serviceSettings } from "../src/reminders/holidays.js";
import { validForm } from "../test/helpers/core.js";
import { RecordingChannel } from "../test/helpers/reminders.js";

const FORM = validForm({ preferredStart: "2027-04-06", preferredEnd: "2027-04-08" });
const file = path.join(tmpdir(), `ma-queries-${randomUUID()}.db`);
await applyMigrations({ provider: "sqlite", file });
let statements: string[] = [];
const database = await openDatabase({ provider: "sqlite", file }, { onQuery: (sql) => statements.push(sql) });
try {
  const repositories = createPrismaRepositories(database);
  const core = { ...repositories, clock: systemClock, timeZone: "America/New_York", ...serviceSettings() };
  const requester = await repositories.people.resolve({ key: "slack:UQ", displayName: "Requester" });
  await repositories.people.grant("slack:UF", { role: "faculty" }, "bench");
  const faculty = await repositories.people.resolve({ key: "slack:UF", displayName: "Faculty" });
  const audience = { platforms: ["slack" as const], triageChannels: new Map([["slack" as const, "C0"]]), timeZone: "America/New_York" };
  const measure = async (name: string, run: () => Promise<unknown>) => {
    statements = [];
    await run();
    const kinds = new Map<string, number>();
    for (const sql of statements) {
      const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "?";
      kinds.set(verb, (kinds.get(verb) ?? 0) + 1);
    }
    if (process.env.VERBOSE) for (const sql of statements) console.log(`    ${sql.slice(0, 150)}`);
    console.log(`${name}: ${statements.length} statements (${[...kinds].map(([verb, count]) => `${verb} ${count}`).join(", ")})`);
  };
  let requestId = "";
  await measure("resolve a person", () => repositories.people.resolve({ key: "slack:UQ", displayName: "Requester" }));
  await measure("resolve them again within 10 s", () => repositories.people.resolve({ key: "slack:UQ", displayName: "Requester" }));
  await measure("submit a request (request, link, audit, key, notice, card)", async () => {
    const result = await submitRequest(core, {
      actor: requester,
      raw: FORM,
      platform: "slack",
      idempotencyKey: "q1",
      owe: (request) => owedForNewRequest(audience, request),
    });
    if (result.ok) requestId = result.request.id;
  });
  // The requester's card lands in a DM the platform names: its place is recorded as Slack's would be.
  const channel = Object.assign(new RecordingChannel(() => Date.now()), {
    sendDirect: async () => ({ conversationId: "D0", messageId: "1.0" }),
  });
  const dispatcher = createDispatcher({
    core,
    channels: [channel],
    sleep: async () => {},
    timeZone: core.timeZone,
    log: createLogger("silent"),
  });
  await measure("deliver what it owes (triage card, requester's card)", () => dispatcher.drain());
  await measure("accept it (change, audit, redraw, notice)", () =>
    moveRequest(core, {
      actor: faculty,
      requestId,
      expectedVersion: 1,
      move: { kind: "accept", leadId: faculty.id },
      owe: (request, summary, notify) => owedForMove(audience, request, summary, notify),
    }),
  );
} finally {
  await database.close();
  await Promise.all(["", "-wal", "-shm"].map((suffix) => rm(file + suffix, { force: true })));
}
