import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { requestFormView } from "../src/chat/forms.js";
import { callbackIdOf } from "../src/slack/ids.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { DATABASE_KINDS } from "../test/helpers/databases.js";
import { SlackApiStandIn } from "../test/helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../test/helpers/slack-payloads.js";
import { payloadBody, postSigned, SIGNING_SECRET, slashCommandBody } from "../test/helpers/slack-requests.js";
import { compareCallers } from "./callers.js";
import { compareLoads, freePort, type LoadSide, NPM_START, type ServerProcess, startServer } from "./processes.js";
import { type BenchRow, failureRows, latencyRows, progress } from "./report.js";
import { type LoadResult, runAtRate, runLoad } from "./stats.js";
import { captureFromSqlite, sqlitePragmasOf } from "./submission-rows.js";

const sqlite = DATABASE_KINDS.find((kind) => kind.name === "sqlite")!;

/** Requests a second in the scenarios: a busy day, far below either server's capacity. */
export const STEADY_RATE = 100;
const TRIAGE_CHANNEL = "C0TRIAGE";
/**
 * How long the wait for a round's owed messages goes on with none arriving before the
 * missing ones count as failures (long enough for a machine busy with other work).
 */
export const DELIVERY_STALL_MS = 15_000;

/** A distinct Slack user per request (same length every time, so every request is the same size). */
let users = 0;
const nextUser = () => `UB${String(++users).padStart(8, "0")}`;

/** What an answer was, when it was not what the user should see. */
type Verdict = "ok" | string;

/**
 * Slack's side of every scenario: the bot and its baselines each in a process of their own
 * (the load generator and the Slack stand-in here are not charged to either), every request
 * from a new user, a triage channel set, and each round measured until everything it owes
 * has reached the stand-in (modals opened; triage cards and DMs posted).
 */
export async function benchSlack(db: TestDatabase, options: { steadyRequests: number; rounds: number }): Promise<BenchRow[]> {
  const slackApi = await new SlackApiStandIn().start();
  slackApi.memberOf.add(TRIAGE_CHANNEL);
  const apiUrl = `${slackApi.url}/api/`;
  const port = await freePort();
  const bot = await startServer(
    [...NPM_START.nodeFlags, "bench/bot-server.js"],
    {
      ...NPM_START.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: apiUrl,
      SLACK_TRIAGE_CHANNEL: TRIAGE_CHANNEL,
      LOG_LEVEL: "warn",
      // One bench user sends thousands: the per-person limits would refuse all but the first.
      MA_REQUESTS_PER_HOUR: "100000",
      MA_COMMANDS_PER_MINUTE: "100000",
    },
    `http://127.0.0.1:${port}/readyz`,
    (status) => status === 200,
  );
  const servers: ServerProcess[] = [bot];
  const storingDb = await sqlite.create();
  const specFiles: string[] = [];
  try {
    const ours = `http://127.0.0.1:${port}/slack/events`;
    const state = stateValues(requestFormView(), slackFormValues());
    let views = 0;

    /** `/ma new` from a new user: the answer must be an ack with no body (the modal opens after it). */
    const command = (url: string) => async (): Promise<Verdict> => {
      const user = nextUser();
      const response = await postSigned(
        url,
        slashCommandBody({ text: "new", userId: user, responseUrl: `${slackApi.url}/response/${user}` }),
      );
      const text = await response.text();
      if (response.status !== 200) return `HTTP ${response.status}`;
      return text === "" ? "ok" : "an answer other than an empty ack";
    };
    /** A new request's answer: the modal turns into "Request received"; anything else (a "could not save" form, errors) fails. */
    let lastAnswer: unknown;
    const submit = (url: string) => async (): Promise<Verdict> => {
      const body = payloadBody(
        viewSubmission({ userId: nextUser(), callbackId: callbackIdOf("request"), viewId: `VB${String(++views).padStart(8, "0")}`, state }),
      );
      const response = await postSigned(url, body);
      const text = await response.text();
      if (response.status !== 200) return `HTTP ${response.status}`;
      const answer = text ? (JSON.parse(text) as { response_action?: string; view?: { title?: { text?: string } } }) : undefined;
      if (answer?.response_action === "update" && answer.view?.title?.text === "Request received") {
        lastAnswer = answer;
        return "ok";
      }
      if (answer?.response_action === "errors") return "field errors";
      return `"${answer?.view?.title?.text ?? "empty ack"}" instead of "Request received"`;
    };

    const failures = new Map<string, number>();
    /** Prints what failed since the last call, by kind. */
    const printFailures = (label: string) => {
      for (const [kind, count] of failures) progress(`  ${label}: ${count} × ${kind}`);
      failures.clear();
    };
    const tally = (call: () => Promise<Verdict>) => async () => {
      const verdict = await call();
      if (verdict !== "ok") failures.set(verdict, (failures.get(verdict) ?? 0) + 1);
      return verdict === "ok";
    };
    /** Waits until the stand-in holds `owed` more calls of `method` than at `from` (and, for the bot, its outbox is empty). */
    const deliveredSince = async (from: number, method: string, owed: number, outboxToo: boolean): Promise<number> => {
      let progressed = performance.now();
      let seen = 0;
      let scanned = from;
      for (;;) {
        const before = seen;
        for (; scanned < slackApi.calls.length; scanned++) if (slackApi.calls[scanned]!.method === method) seen++;
        if (seen > before) progressed = performance.now();
        const pending = outboxToo ? await db.database.prisma.outbox.count({ where: { status: "PENDING" } }) : 0;
        if (seen >= owed && pending === 0) return 0;
        if (performance.now() - progressed > DELIVERY_STALL_MS) return Math.max(0, owed - seen);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    /** A round: the load, then the wait until everything it owes was delivered; undelivered messages count as failed requests. */
    const round =
      (load: () => Promise<LoadResult>, method: string, owedPerRequest: number, outboxToo: boolean) => async (): Promise<LoadResult> => {
        const from = slackApi.calls.length;
        const result = await load();
        // A request that failed already counts; only the answered ones owe something.
        const answered = result.latencies.length - result.errors;
        const missing = await deliveredSince(from, method, answered * owedPerRequest, outboxToo);
        if (missing > 0) failures.set(`${method} never arrived`, (failures.get(`${method} never arrived`) ?? 0) + missing);
        return { ...result, errors: result.errors + Math.ceil(missing / owedPerRequest) };
      };
    const steady = (make: () => Promise<Verdict>) => () => runAtRate(tally(make), options.steadyRequests, STEADY_RATE);

    // Warm-up on the bot; its own output becomes what the baselines send and store.
    progress("Slack: warming up the bot, then copying its modal, answer, posts and rows for the baselines");
    await round(() => runLoad(tally(command(ours)), 50, 10), "views.open", 1, true)();
    await round(() => runLoad(tally(submit(ours)), 50, 10), "chat.postMessage", 2, true)();
    const posts = slackApi.callsTo("chat.postMessage");
    const card = posts.findLast((call) => call.body.channel === TRIAGE_CHANNEL);
    const direct = posts.findLast((call) => String(call.body.channel).startsWith("UB"));
    const opened = slackApi.callsTo("views.open").at(-1);
    printFailures("warm-up failed");
    if (!card || !direct || !opened || !lastAnswer) throw new Error("the bot's warm-up did not open, answer and post as expected");
    const store = { rows: await captureFromSqlite(db.url.slice("file:".length)), pragmas: await sqlitePragmasOf(db.database) };
    const spec = async (name: string, content: unknown) => {
      const file = path.join(tmpdir(), `ma-bench-${process.pid}-${name}.json`);
      await writeFile(file, JSON.stringify(content));
      specFiles.push(file);
      return file;
    };
    const modal = JSON.stringify(opened.body.view);
    const bare = async (name: string, calls: "webclient" | "raw", content: unknown, extra: Record<string, string> = {}, tsx = false) => {
      const basePort = await freePort();
      const server = await startServer(
        [...(tsx ? ["--import", "tsx"] : []), "bench/bare-bolt.js"],
        {
          PORT: String(basePort),
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: apiUrl,
          BARE_CALLS: calls,
          BARE_SPEC: await spec(name, content),
          ...extra,
        },
        `http://127.0.0.1:${basePort}/slack/events`,
      );
      servers.push(server);
      return { server, url: `http://127.0.0.1:${basePort}/slack/events` };
    };
    const viaWebClient = await bare("webclient", "webclient", { modal });
    const viaRaw = await bare("raw", "raw", { modal });
    const storing = await bare(
      "storing",
      "raw",
      {
        store,
        answer: lastAnswer,
        posts: [
          { to: "triage", body: card.body },
          { to: "user", body: direct.body },
        ],
      },
      { BARE_DB_FILE: storingDb.url.slice("file:".length) },
      true,
    );
    for (const baseline of [viaWebClient, viaRaw])
      await round(() => runLoad(tally(command(baseline.url)), 50, 10), "views.open", 1, false)();
    await round(() => runLoad(tally(submit(storing.url)), 50, 10), "chat.postMessage", 2, false)();
    printFailures("warm-up failed");

    const rows: BenchRow[] = [];
    const side = (server: ServerProcess, make: () => Promise<Verdict>, method: string, owed: number, isBot: boolean): LoadSide => ({
      server,
      run: round(steady(make), method, owed, isBot),
    });

    progress(
      `Slack /ma new at ${STEADY_RATE}/s against a bare Bolt app posting raw JSON: ${options.rounds} rounds of ${options.steadyRequests}`,
    );
    const lean = await compareLoads(
      options.rounds,
      side(bot, command(ours), "views.open", 1, true),
      side(viaRaw.server, command(viaRaw.url), "views.open", 1, false),
    );
    rows.push(
      ...latencyRows(`Slack /ma new ack at ${STEADY_RATE}/s vs a bare Bolt app (raw JSON POST)`, lean.ours, lean.base, 1.2).filter(
        (row) => row.metric !== "throughput",
      ),
      lean.cpuRow("Slack /ma new CPU per command, modal opened, vs a bare Bolt app (raw JSON POST)", 1.1),
      ...failureRows("Slack /ma new", lean.ours.errors, lean.base.errors),
    );
    printFailures("failed");
    progress(`Slack /ma new at ${STEADY_RATE}/s against a bare Bolt app opening it through WebClient`);
    const webClient = await compareLoads(
      options.rounds,
      side(bot, command(ours), "views.open", 1, true),
      side(viaWebClient.server, command(viaWebClient.url), "views.open", 1, false),
    );
    rows.push(
      webClient.cpuRow("Slack /ma new CPU per command, modal opened, vs a bare Bolt app (WebClient)"),
      ...failureRows("Slack /ma new (WebClient run)", webClient.ours.errors, webClient.base.errors),
    );
    printFailures("failed");

    progress(
      `Slack view_submission at ${STEADY_RATE}/s against a bare Bolt app that stores and posts: ${options.rounds} rounds of ${options.steadyRequests}`,
    );
    const submissions = await compareLoads(
      options.rounds,
      side(bot, submit(ours), "chat.postMessage", 2, true),
      side(storing.server, submit(storing.url), "chat.postMessage", 2, false),
    );
    rows.push(
      ...latencyRows(
        `Slack view_submission ack at ${STEADY_RATE}/s vs a bare Bolt app that stores and posts`,
        submissions.ours,
        submissions.base,
        1.3,
      ).filter((row) => row.metric !== "throughput"),
      submissions.cpuRow("Slack view_submission CPU per submission, card and DM delivered, vs a bare Bolt app that stores and posts", 1.3),
      ...failureRows("Slack view_submission", submissions.ours.errors, submissions.base.errors),
    );
    printFailures("failed");

    progress("Slack Web API callers: views.open of the request modal, hand-written vs WebClient");
    rows.push(await compareCallers(apiUrl, modal, { calls: options.steadyRequests, rounds: options.rounds }));

    const [rss, bareRss] = [await bot.rssMb(), await viaRaw.server.rssMb()];
    rows.push({
      scenario: "Resident memory after the Slack scenarios (vs the bare Bolt app posting raw JSON)",
      metric: "RSS",
      value: rss,
      baseline: bareRss,
      ratio: rss / bareRss,
      unit: "MB",
    });
    return rows;
  } finally {
    for (const server of servers) await server.stop();
    await storingDb.dispose();
    await slackApi.stop();
    const { rm } = await import("node:fs/promises");
    await Promise.all(specFiles.map((file) => rm(file, { force: true })));
  }
}
