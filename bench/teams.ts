import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { addDays, dayInZone } from "../src/core/dates.js";
import { createPrismaRepositories } from "../src/db/repositories/index.js";
import { BotConnectorStandIn } from "../test/helpers/bot-connector.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { DATABASE_KINDS } from "../test/helpers/databases.js";
import { invokeActivity, messageActivity, postActivity } from "../test/helpers/teams-activities.js";
import { compareLoads, freePort, NPM_START, type ServerProcess, startServer } from "./processes.js";
import { type BenchRow, failureRows, latencyRows, progress } from "./report.js";
import { DELIVERY_STALL_MS, STEADY_RATE } from "./slack.js";
import { type LoadResult, runAtRate, runLoad } from "./stats.js";
import { captureFromSqlite, sqlitePragmasOf } from "./submission-rows.js";

const sqlite = DATABASE_KINDS.find((kind) => kind.name === "sqlite")!;
const TRIAGE = { id: "19:triage-bench@thread.tacv2", type: "channel" as const };
const ADMIN = { aad: "aad-bench-admin", name: "Bench Admin" };
/** What the bot sends to the Bot Connector (a DM may first create its conversation). */
const SENT = new Set(["send", "reply", "createConversation"]);

/**
 * Teams card submits of the request form from a new user each, with a Teams triage channel
 * set (by an admin's `triage-here` there), against a teams-ai app that stores the same rows,
 * answers with the same card and sends the same triage card and DM; each round measured
 * until the stand-in has received everything it owes.
 */
export async function benchTeams(db: TestDatabase, options: { requests: number; rounds: number }): Promise<BenchRow[]> {
  const connector = await new BotConnectorStandIn().start();
  const port = await freePort();
  const servers: ServerProcess[] = [];
  const storingDb = await sqlite.create();
  const specFile = path.join(tmpdir(), `ma-bench-${process.pid}-teams.json`);
  try {
    await createPrismaRepositories(db.database).people.grant(`teams:${ADMIN.aad}`, { role: "admin" }, "bench");
    // Each in a process of its own, as in production (local mode: no credentials, loopback only).
    const bot = await startServer(
      [...NPM_START.nodeFlags, "bench/bot-server.js"],
      { ...NPM_START.env, DATABASE_URL: db.url, PORT: String(port), TEAMS_LOCAL: "1", LOG_LEVEL: "warn" },
      `http://127.0.0.1:${port}/readyz`,
      (status) => status === 200,
    );
    servers.push(bot);
    const ours = `http://127.0.0.1:${port}/api/messages`;
    await postActivity(ours, messageActivity(connector.url, ADMIN, TRIAGE, "triage-here"));
    if (!(await db.database.prisma.setting.findUnique({ where: { key: "triage-channel:teams" } }))) {
      throw new Error("the Teams triage channel was not set");
    }

    const start = addDays(dayInZone(new Date(), "America/New_York"), 30);
    const values = {
      organization: "NIPO, Program Office",
      component: "NAVY",
      program: "Frigate sustainment",
      effortTypes: "FMS",
      supportType: "DOCUMENT_REVIEW",
      lifecyclePhase: "LOR",
      problemStatement: "Please review our draft LOR and the pricing assumptions before submission.",
      audienceSize: "6",
      preferredStart: start,
      preferredEnd: addDays(start, 1),
      deliveryMode: "VIRTUAL",
      travelFunded: "false",
      pocName: "Riley Chen",
      pocEmail: "riley.chen@navy.mil",
      state: "",
    };
    let users = 0;
    let lastAnswer: unknown;
    const failures = new Map<string, number>();
    const fail = (kind: string, count = 1) => failures.set(kind, (failures.get(kind) ?? 0) + count);
    /** A new user's submit: the answer must be the card saying the request was received. */
    const submit = (url: string) => async () => {
      const n = String(++users).padStart(8, "0");
      const person = { aad: `aad-bench-${n}`, name: `Bench User ${n}` };
      const response = await postActivity(
        url,
        invokeActivity(connector.url, person, { id: `a:dm-bench-${n}`, type: "personal" }, "ma_form_request", values),
      );
      const card = response.body?.value;
      const text = JSON.stringify(card ?? "");
      const saved = response.status === 200 && response.body?.statusCode === 200 && /MA-\d{4}-\d{4}/.test(text);
      if (saved && !/could not save|Nothing was changed/.test(text)) {
        lastAnswer = card;
        return true;
      }
      fail(response.status !== 200 ? `HTTP ${response.status}` : "an answer other than the received card");
      return false;
    };
    const sentCount = () => connector.calls.filter((call) => SENT.has(call.kind)).length;
    /** The load, then the wait until the stand-in has `owed` messages per request more (and, for the bot, its outbox is empty). */
    const round = (load: () => Promise<LoadResult>, owed: number, outboxToo: boolean) => async (): Promise<LoadResult> => {
      const from = sentCount();
      const result = await load();
      let progressed = performance.now();
      let seen = sentCount();
      // A request that failed already counts; only the answered ones owe something.
      const target = from + (result.latencies.length - result.errors) * owed;
      for (;;) {
        const pending = outboxToo ? await db.database.prisma.outbox.count({ where: { status: "PENDING" } }) : 0;
        if (sentCount() > seen) [seen, progressed] = [sentCount(), performance.now()];
        if (seen >= target && pending === 0) return result;
        if (performance.now() - progressed > DELIVERY_STALL_MS) {
          const missing = target - sentCount();
          fail("owed Teams message never arrived", missing);
          return { ...result, errors: result.errors + Math.ceil(missing / owed) };
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    progress("Teams: warming up the bot, then copying its answer, sends and rows for the baseline");
    // One submission alone first: what it sends is what a submission owes.
    const before = connector.calls.length;
    await round(() => runLoad(submit(ours), 1, 1), 0, true)();
    const sends = connector.calls.slice(before).filter((call) => SENT.has(call.kind));
    const owed = sends.length;
    if (owed === 0 || !lastAnswer) throw new Error("the bot's first Teams submission sent nothing or was not saved");
    await round(() => runLoad(submit(ours), 30, 10), owed, true)();
    const store = { rows: await captureFromSqlite(db.url.slice("file:".length)), pragmas: await sqlitePragmasOf(db.database) };
    const posts = sends.map((call) => ({
      to: call.conversationId === TRIAGE.id ? "triage" : "user",
      conversationId: call.conversationId,
      body: call.body,
    }));
    await writeFile(specFile, JSON.stringify({ store, answer: lastAnswer, posts }));
    const basePort = await freePort();
    const bare = await startServer(
      ["--import", "tsx", "bench/bare-teams.js"],
      { PORT: String(basePort), BARE_SPEC: specFile, BARE_DB_FILE: storingDb.url.slice("file:".length) },
      `http://127.0.0.1:${basePort}/api/messages`,
    );
    servers.push(bare);
    const baseline = `http://127.0.0.1:${basePort}/api/messages`;
    await round(() => runLoad(submit(baseline), 30, 10), owed, false)();
    for (const [kind, count] of failures) progress(`  warm-up failed: ${count} × ${kind}`);
    failures.clear();

    progress(`Teams card submit at ${STEADY_RATE}/s: ${options.rounds} rounds of ${options.requests}`);
    const compared = await compareLoads(
      options.rounds,
      { server: bot, run: round(() => runAtRate(submit(ours), options.requests, STEADY_RATE), owed, true) },
      { server: bare, run: round(() => runAtRate(submit(baseline), options.requests, STEADY_RATE), owed, false) },
    );
    for (const [kind, count] of failures) progress(`  failed: ${count} × ${kind}`);
    const scenario = `Teams card submit at ${STEADY_RATE}/s vs a teams-ai app that stores and sends`;
    return [
      ...latencyRows(scenario, compared.ours, compared.base).filter((row) => row.metric !== "throughput"),
      compared.cpuRow(`Teams CPU per card submit, card and DM delivered, vs a teams-ai app that stores and sends`, 1.3),
      ...failureRows("Teams card submit", compared.ours.errors, compared.base.errors),
    ];
  } finally {
    for (const server of servers) await server.stop();
    await storingDb.dispose();
    await connector.stop();
    await rm(specFile, { force: true });
  }
}
