import { addDays, dayInZone } from "../src/core/dates.js";
import { BotConnectorStandIn } from "../test/helpers/bot-connector.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { invokeActivity, postActivity } from "../test/helpers/teams-activities.js";
import { cpuRow, freePort, startServer, withCpu } from "./processes.js";
import { type BenchRow, latencyRows, progress } from "./report.js";
import { alternate, runLoad, summarise } from "./stats.js";

export async function benchTeams(db: TestDatabase, options: { requests: number; rounds: number }): Promise<BenchRow[]> {
  const connector = await new BotConnectorStandIn().start();
  const [port, basePort] = [await freePort(), await freePort()];
  // Each in a process of its own, as in production (local mode: no credentials, loopback only).
  const bot = await startServer(
    ["bin/mission-assist.js", "serve"],
    { DATABASE_URL: db.url, PORT: String(port), TEAMS_LOCAL: "1", LOG_LEVEL: "warn" },
    `http://127.0.0.1:${port}/readyz`,
    (status) => status === 200,
  );
  const bare = await startServer(["bench/bare-teams.js"], { PORT: String(basePort) }, `http://127.0.0.1:${basePort}/api/messages`);
  const baseline = { url: `http://127.0.0.1:${basePort}/api/messages` };
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
  const ours = `http://127.0.0.1:${port}/api/messages`;
  try {
    progress(`Teams card submit at 10 concurrent: ${options.rounds} rounds of ${options.requests}`);
    await runLoad(submit(ours), 30, 10);
    await runLoad(submit(baseline.url), 30, 10);
    const cpu = { ours: 0, base: 0 };
    const runs = await alternate(
      options.rounds,
      () => withCpu(bot, cpu, "ours", () => runLoad(submit(ours), options.requests, 10)),
      () => withCpu(bare, cpu, "base", () => runLoad(submit(baseline.url), options.requests, 10)),
    );
    const mine = summarise(runs.a);
    const base = summarise(runs.b);
    return [
      ...latencyRows("Teams card submit c=10", mine, base, 2),
      cpuRow("Teams CPU per request card submit c=10", cpu, options.rounds * options.requests),
    ];
  } finally {
    await bot.stop();
    await bare.stop();
    await connector.stop();
  }
}
