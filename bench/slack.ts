import { App, ExpressReceiver } from "@slack/bolt";
import express from "express";
import { startApp } from "../src/app.js";
import { requestFormView } from "../src/chat/forms.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { callbackIdOf } from "../src/slack/ids.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { SlackApiStandIn } from "../test/helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../test/helpers/slack-payloads.js";
import { payloadBody, postSigned, SIGNING_SECRET, slashCommandBody } from "../test/helpers/slack-requests.js";
import { type LoopbackServer, listenOnLoopback } from "./loopback.js";
import { type BenchRow, latencyRows, progress } from "./report.js";
import { alternate, runLoad, summarise } from "./stats.js";

/** A bare Bolt app on the same receiver setup that only acks: the baseline. */
async function startBaseline(apiUrl: string): Promise<LoopbackServer> {
  const router = express.Router();
  const receiver = new ExpressReceiver({ signingSecret: SIGNING_SECRET, endpoints: "/slack/events", router, processBeforeResponse: false });
  const app = new App({ token: "xoxb-bench", receiver, clientOptions: { slackApiUrl: apiUrl } });
  app.command("/ma", async ({ ack }) => ack());
  app.view({ callback_id: /^ma_form_/ }, async ({ ack }) => ack());
  const server = express().use(router);
  return listenOnLoopback(server, "/slack/events");
}

export async function benchSlack(db: TestDatabase, options: { requests: number; rounds: number }): Promise<BenchRow[]> {
  const slackApi = await new SlackApiStandIn().start();
  const app = await startApp(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: "0",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: `${slackApi.url}/api/`,
    }),
    createLogger("silent"),
    { reminders: false },
  );
  const baseline = await startBaseline(`${slackApi.url}/api/`);
  const ours = `http://127.0.0.1:${app.port}/slack/events`;
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
        const runs = await alternate(
          options.rounds,
          () => runLoad(make(ours), options.requests, concurrency),
          () => runLoad(make(baseline.url), options.requests, concurrency),
        );
        const mine = summarise(runs.a);
        const base = summarise(runs.b);
        rows.push(...latencyRows(`Slack ack ${label} c=${concurrency}`, mine, base, 1.2));
        if (mine.errors + base.errors > 0) progress(`  ${mine.errors} errors (ours), ${base.errors} (baseline)`);
      }
    }
  } finally {
    await baseline.close();
    await app.close();
    await slackApi.stop();
  }
  return rows;
}
