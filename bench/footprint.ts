import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { BotConnectorStandIn } from "../test/helpers/bot-connector.js";
import { SlackApiStandIn } from "../test/helpers/slack-api.js";
import { SIGNING_SECRET } from "../test/helpers/slack-requests.js";
import { messageActivity, postActivity } from "../test/helpers/teams-activities.js";
import { freePort, NPM_START, startServer } from "./processes.js";
import { type BenchRow, progress } from "./report.js";

interface Footprint {
  readyMs: number;
  rssMb: number;
}

/**
 * Starts a server, times it to its first answer, runs `then` (a first activity), then reads
 * its resident memory after 2 s idle.
 */
async function measure(args: string[], env: Record<string, string>, url: string, then?: () => Promise<void>): Promise<Footprint> {
  const server = await startServer(args, env, url, url.endsWith("/readyz") ? (status) => status === 200 : undefined);
  try {
    await then?.();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { readyMs: server.readyMs, rssMb: await server.rssMb() };
  } finally {
    await server.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `npm start` on an existing SQLite database, as people run it, beside a bare Bolt app,
 * alternating: idle resident memory and start-to-ready (`/readyz` 200; Bolt: its endpoint
 * answers). Configured for Slack (Bolt loaded, its token checked against a stand-in), with no
 * credentials (the default: Teams local mode, loaded on first use), and with Teams after its
 * first activity; start-to-ready on a fresh file too.
 */
export async function benchFootprint(options: { rounds: number }): Promise<BenchRow[]> {
  const slackApi = await new SlackApiStandIn().start();
  const connector = await new BotConnectorStandIn().start();
  const file = path.join(tmpdir(), `ma-bench-footprint-${process.pid}.db`);
  // Ports nobody listens on: a fixed one may be another run's, whose readiness would be timed instead.
  const port = String(await freePort());
  const barePort = String(await freePort());
  const readyz = `http://127.0.0.1:${port}/readyz`;
  const serve = [...NPM_START.nodeFlags, ...NPM_START.args];
  const plain = { ...NPM_START.env, DATABASE_URL: `file:${file}`, PORT: port, LOG_LEVEL: "warn" };
  const slack = {
    ...plain,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_API_URL: `${slackApi.url}/api/`,
    SLACK_TRIAGE_CHANNEL: "C0TRIAGE",
  };
  const firstTeamsActivity = async () => {
    const response = await postActivity(
      `http://127.0.0.1:${port}/api/messages`,
      messageActivity(connector.url, { aad: "aad-footprint", name: "Footprint" }, { id: "a:dm-footprint", type: "personal" }, "help"),
    );
    if (response.status >= 300) throw new Error(`the first Teams activity answered ${response.status}`);
  };
  const removeFile = (name: string) => Promise.all(["", "-wal", "-shm"].map((suffix) => rm(name + suffix, { force: true })));
  const samples = {
    slack: [] as Footprint[],
    plain: [] as Footprint[],
    teams: [] as Footprint[],
    fresh: [] as Footprint[],
    bare: [] as Footprint[],
  };
  try {
    // The first start creates and migrates the database: the measured ones find it ready.
    await measure(serve, plain, readyz);
    for (let round = 0; round < options.rounds; round++) {
      progress(`footprint: round ${round + 1} of ${options.rounds}`);
      samples.slack.push(await measure(serve, slack, readyz));
      samples.bare.push(await measure(["bench/bare-bolt.js"], { PORT: barePort }, `http://127.0.0.1:${barePort}/slack/events`));
      samples.plain.push(await measure(serve, plain, readyz));
      samples.teams.push(await measure(serve, plain, readyz, firstTeamsActivity));
      // A fresh file: created, migrated and loaded with the demo cases before /readyz answers.
      const freshFile = `${file}-fresh-${round}`;
      samples.fresh.push(await measure(serve, { ...plain, DATABASE_URL: `file:${freshFile}` }, readyz));
      await removeFile(freshFile);
    }
  } finally {
    await removeFile(file);
    await slackApi.stop();
    await connector.stop();
  }
  const rss = (list: Footprint[]) => median(list.map((item) => item.rssMb));
  const ready = (list: Footprint[]) => median(list.map((item) => item.readyMs));
  const bare = { rss: rss(samples.bare), ready: ready(samples.bare) };
  const row = (scenario: string, metric: "RSS" | "time", value: number, limit?: number): BenchRow => {
    const baseline = metric === "RSS" ? bare.rss : bare.ready;
    const ratio = value / baseline;
    return {
      scenario,
      metric,
      value,
      baseline,
      ratio,
      ...(limit === undefined ? {} : { goal: `≤ ${limit}×`, met: ratio <= limit }),
      unit: metric === "RSS" ? "MB" : "ms",
    };
  };
  return [
    row("Idle resident memory, Slack configured (npm start vs bare Bolt)", "RSS", rss(samples.slack), 1.75),
    row("Start to ready, Slack configured, existing database (npm start vs bare Bolt)", "time", ready(samples.slack), 2.5),
    row("Idle resident memory, no credentials (the default) (npm start vs bare Bolt)", "RSS", rss(samples.plain)),
    row("Start to ready, no credentials, existing database (npm start vs bare Bolt)", "time", ready(samples.plain)),
    row("Idle resident memory, Teams after its first activity (npm start vs bare Bolt)", "RSS", rss(samples.teams)),
    row("Start to ready, no credentials, fresh database file (npm start vs bare Bolt)", "time", ready(samples.fresh)),
  ];
}
