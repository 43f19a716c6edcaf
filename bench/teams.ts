import { addDays, dayInZone } from "../src/core/dates.js";
import { BotConnectorStandIn } from "../test/helpers/bot-connector.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { invokeActivity, postActivity } from "../test/helpers/teams-activities.js";
import { compareLoads, freePort, startServer } from "./processes.js";
import { type BenchRow, latencyRows, progress } from "./report.js";
import { runLoad } from "./stats.js";

export async function benchTeams(db: TestDatabase, options: { requests: number; rounds: number }): Promise<BenchRow[]> {
  const connector = await new BotConnectorStandIn().start();
  const [port, basePort] = [await freePort(), await freePort()];
  // Each in a process of its own, as in production (local mode: no credentials, loopback only).
  const bot = await startServer(
    ["bin/mission-assist.js", "serve"],
    // One bench user sends thousands: the per-person limits would refuse all but the first.
    {
      DATABASE_URL: db.url,
      PORT: String(port),
      TEAMS_LOCAL: "1",
      LOG_LEVEL: "warn",
      MA_REQUESTS_PER_HOUR: "100000",
      MA_COMMANDS_PER_MINUTE: "100000",
    },
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
    const compared = await compareLoads(
      options.rounds,
      { server: bot, run: () => runLoad(submit(ours), options.requests, 10) },
      { server: bare, run: () => runLoad(submit(baseline.url), options.requests, 10) },
    );
    return [
      ...latencyRows("Teams card submit c=10", compared.ours, compared.base, 2),
      compared.cpuRow("Teams CPU per request card submit c=10"),
    ];
  } finally {
    await bot.stop();
    await bare.stop();
    await connector.stop();
  }
}
