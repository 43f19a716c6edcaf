import { Application, TeamsAdapter, type TurnState } from "@microsoft/teams-ai";
import express from "express";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { addDays, dayInZone } from "../src/core/dates.js";
import { createLogger } from "../src/logger.js";
import { BotConnectorStandIn } from "../test/helpers/bot-connector.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { invokeActivity, postActivity } from "../test/helpers/teams-activities.js";
import { type LoopbackServer, listenOnLoopback } from "./loopback.js";
import { type BenchRow, latencyRows, progress } from "./report.js";
import { alternate, runLoad, summarise } from "./stats.js";

/** A teams-ai app that only answers the invoke with a fixed card: the baseline. */
async function startBaseline(): Promise<LoopbackServer> {
  const adapter = new TeamsAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant" });
  const app = new Application<TurnState>({
    adapter,
    botAppId: "",
    startTypingTimer: false,
    longRunningMessages: false,
    removeRecipientMention: true,
  });
  app.adaptiveCards.actionExecute(
    /^ma_/,
    async () => ({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "ok" }] }) as never,
  );
  const server = express().post("/api/messages", express.json(), (req, res) => {
    void adapter.process(req, res, (context) => app.run(context).then(() => undefined));
  });
  return listenOnLoopback(server, "/api/messages");
}

export async function benchTeams(db: TestDatabase, options: { requests: number; rounds: number }): Promise<BenchRow[]> {
  const connector = await new BotConnectorStandIn().start();
  const app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0" }), createLogger("silent"), { reminders: false });
  const baseline = await startBaseline();
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
  const person = { aad: "aad-bench", name: "Bench User" };
  const conversation = { id: "a:dm-bench", type: "personal" as const };
  const submit = (url: string) => async () => {
    const response = await postActivity(url, invokeActivity(connector.url, person, conversation, "ma_form_request", values));
    return response.status === 200;
  };
  const ours = `http://127.0.0.1:${app.port}/api/messages`;
  try {
    progress(`Teams card submit at 10 concurrent: ${options.rounds} rounds of ${options.requests}`);
    await runLoad(submit(ours), 30, 10);
    await runLoad(submit(baseline.url), 30, 10);
    const runs = await alternate(
      options.rounds,
      () => runLoad(submit(ours), options.requests, 10),
      () => runLoad(submit(baseline.url), options.requests, 10),
    );
    const mine = summarise(runs.a);
    const base = summarise(runs.b);
    return latencyRows("Teams card submit c=10", mine, base);
  } finally {
    await baseline.close();
    await app.close();
    await connector.stop();
  }
}
