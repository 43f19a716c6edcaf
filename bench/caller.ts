// One side of the caller comparison (bench/callers.ts), in a process of its own: `calls`
// views.open of the request modal through the bot's hand-written caller (`hand`) or through
// the WebClient configured as the bot configures it (`webclient`), 10 in flight. Prints this
// process's CPU time for the measured calls (after a warm-up) as JSON.
import { openBlankRequestForm } from "../src/slack/listeners/commands.js";
import { createWebClient } from "../src/slack/outbound.js";
import { createSlackApi } from "../src/slack/web-api.js";

const [which, apiUrl = "", calls = "1000", modalText = "{}"] = process.argv.slice(2);
const options = { botToken: "xoxb-bench", apiUrl, timeoutMs: 10_000 };
const hand = createSlackApi(options);
const client = createWebClient(options);
const modal = JSON.parse(modalText);
let triggers = 0;
const open =
  which === "hand"
    ? () => hand.call("views.open", openBlankRequestForm(`trigger.${++triggers}`))
    : () => client.views.open({ trigger_id: `trigger.${++triggers}`, view: modal });

async function run(total: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < total) await open();
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

await run(100);
const before = process.cpuUsage();
await run(Number(calls));
const used = process.cpuUsage(before);
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, calls: Number(calls) }));
