import path from "node:path";
import { pathToFileURL } from "node:url";
import { requestFormView } from "../src/chat/forms.js";
import { callbackIdOf } from "../src/slack/ids.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { DATABASE_KINDS } from "../test/helpers/databases.js";
import { SlackApiStandIn } from "../test/helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../test/helpers/slack-payloads.js";
import { payloadBody, postSigned, SIGNING_SECRET, slashCommandBody } from "../test/helpers/slack-requests.js";
import { compareLoads, freePort, ROOT, startServer } from "./processes.js";
import { type BenchRow, latencyRows, progress } from "./report.js";
import { runAtRate, runLoad } from "./stats.js";

const sqlite = DATABASE_KINDS.find((kind) => kind.name === "sqlite")!;

/** Requests a second in the steady (open-loop) scenarios: about a tenth of the bot's capacity here. */
const STEADY_RATE = 100;

export async function benchSlack(
  db: TestDatabase,
  options: { requests: number; steadyRequests: number; rounds: number },
): Promise<BenchRow[]> {
  const slackApi = await new SlackApiStandIn().start();
  const [port, basePort] = [await freePort(), await freePort()];
  // Both in processes of their own, as they run in production: the load generator and the
  // Slack stand-in here are not charged to either.
  const bot = await startServer(
    ["bin/mission-assist.js", "serve"],
    {
      DATABASE_URL: db.url,
      PORT: String(port),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: `${slackApi.url}/api/`,
      LOG_LEVEL: "warn",
      // One bench user sends thousands: the per-person limits would refuse all but the first.
      MA_REQUESTS_PER_HOUR: "100000",
      MA_COMMANDS_PER_MINUTE: "100000",
    },
    `http://127.0.0.1:${port}/readyz`,
    (status) => status === 200,
  );
  const bare = await startServer(
    ["bench/bare-bolt.js"],
    { PORT: String(basePort), SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slackApi.url}/api/` },
    `http://127.0.0.1:${basePort}/slack/events`,
  );
  // The same bare app, storing a submission's rows with the raw driver before it acks.
  const [storingPort, storingDb] = [await freePort(), await sqlite.create()];
  const person = await storingDb.database.prisma.person.create({ data: { displayName: "Bench" } });
  const storing = await startServer(
    ["--import", "tsx", "bench/bare-bolt.js"],
    {
      PORT: String(storingPort),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      BARE_STORE: pathToFileURL(path.join(ROOT, "bench/bare-store.ts")).href,
      BARE_DB_FILE: storingDb.url.slice("file:".length),
      BARE_PERSON_ID: person.id,
    },
    `http://127.0.0.1:${storingPort}/slack/events`,
  );
  const ours = `http://127.0.0.1:${port}/slack/events`;
  const baseline = { url: `http://127.0.0.1:${basePort}/slack/events` };
  const state = stateValues(requestFormView(), slackFormValues());
  let views = 0;
  const command = (url: string) => async () =>
    (await postSigned(url, slashCommandBody({ text: "new", userId: "UBENCH", responseUrl: `${slackApi.url}/response/x` }))).status === 200;
  const submit = (url: string) => async () => {
    const body = payloadBody(viewSubmission({ userId: "UBENCH", callbackId: callbackIdOf("request"), viewId: `VB${++views}`, state }));
    const response = await postSigned(url, body);
    await response.arrayBuffer();
    return response.status === 200;
  };
  const storingUrl = `http://127.0.0.1:${storingPort}/slack/events`;
  /** Submissions against the bare app that stores the same rows before it acks. */
  const againstStoring = async (concurrency: number): Promise<BenchRow[]> => {
    await runLoad(submit(storingUrl), 50, concurrency);
    const compared = await compareLoads(
      options.rounds,
      { server: bot, run: () => runLoad(submit(ours), options.requests, concurrency) },
      { server: storing, run: () => runLoad(submit(storingUrl), options.requests, concurrency) },
    );
    const scenario = `Slack ack view_submission c=${concurrency} vs a bare app that stores`;
    return [
      ...latencyRows(scenario, compared.ours, compared.base).filter((row) => row.metric === "p99"),
      compared.cpuRow(`Slack CPU per request view_submission c=${concurrency} vs a bare app that stores`),
    ];
  };
  const rows: BenchRow[] = [];
  try {
    for (const [label, make] of [
      ["/ma new", command],
      ["view_submission", submit],
    ] as const) {
      for (const concurrency of [10, 50]) {
        progress(`Slack ${label} at ${concurrency} concurrent: ${options.rounds} rounds of ${options.requests}`);
        // Warm-up on both, then alternate.
        await runLoad(make(ours), 50, concurrency);
        await runLoad(make(baseline.url), 50, concurrency);
        const compared = await compareLoads(
          options.rounds,
          { server: bot, run: () => runLoad(make(ours), options.requests, concurrency) },
          { server: bare, run: () => runLoad(make(baseline.url), options.requests, concurrency) },
        );
        const { ours: mine, base } = compared;
        // The goals of the speed issue: /ma new acks close to a bare ack; a submission, which
        // validates and stores before it answers, within twice one.
        rows.push(...latencyRows(`Slack ack ${label} c=${concurrency}`, mine, base, label === "/ma new" ? 1.2 : 2));
        rows.push(compared.cpuRow(`Slack CPU per request ${label} c=${concurrency}`));
        if (label === "view_submission") rows.push(...(await againstStoring(concurrency)));
        if (mine.errors + base.errors > 0) progress(`  ${mine.errors} errors (ours), ${base.errors} (baseline)`);
      }
      // What a person feels on a busy day: acks at a steady rate far below either server's
      // capacity, so nothing queues behind a saturated CPU. Information beside the goals above.
      progress(`Slack ${label} at ${STEADY_RATE}/s: ${options.rounds} rounds of ${options.steadyRequests}`);
      const steady = await compareLoads(
        options.rounds,
        { server: bot, run: () => runAtRate(make(ours), options.steadyRequests, STEADY_RATE) },
        { server: bare, run: () => runAtRate(make(baseline.url), options.steadyRequests, STEADY_RATE) },
      );
      const latencies = latencyRows(`Slack ack ${label} at ${STEADY_RATE}/s`, steady.ours, steady.base);
      rows.push(...latencies.filter((row) => row.metric !== "throughput"));
      rows.push(steady.cpuRow(`Slack CPU per request ${label} at ${STEADY_RATE}/s`));
    }
    const [rss, bareRss] = [await bot.rssMb(), await bare.rssMb()];
    rows.push({
      scenario: "Resident memory after the Slack scenarios (vs bare Bolt)",
      metric: "RSS",
      value: rss,
      baseline: bareRss,
      ratio: rss / bareRss,
      unit: "MB",
    });
  } finally {
    await bot.stop();
    await bare.stop();
    await storing.stop();
    await storingDb.dispose();
    await slackApi.stop();
  }
  return rows;
}
