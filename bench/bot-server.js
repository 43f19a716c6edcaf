// The bot as `serve` runs it (compiled dist/, the same start options), but without the
// outbox's one-message-a-second pacing per conversation: every owed triage card goes to one
// channel, and paced, a round of 500 submissions would take 500 s to deliver. The sends,
// their preparation and their bookkeeping are the same; only the waits between them go, so
// the bench can count the CPU of delivering everything a round owes.
import v8 from "node:v8";

// As bin/mission-assist.js runs the bot: Prisma's WebAssembly baseline-compiled only.
v8.setFlagsFromString("--liftoff-only");
process.setSourceMapsEnabled(true);

const { loadConfig } = await import("../dist/config.js");
const { createLogger } = await import("../dist/logger.js");
const { startApp } = await import("../dist/app.js");

const config = loadConfig();
const app = await startApp(config, createLogger(config.LOG_LEVEL), { selfCheck: true, sleep: async () => {} });
// A profiled run (`--profile`) stops with SIGTERM and must exit on its own to write its profile.
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
console.log("listening");
