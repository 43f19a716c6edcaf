#!/usr/bin/env -S node --max-semi-space-size=2
// The `mission-assist` command. It runs the compiled dist/ (built by `npm install` or
// `npm run build`) when that is at least as new as every source file, with its source maps so
// stack traces name the TypeScript; otherwise (sources edited since, no build) it runs the
// sources through tsx, so there is never a stale build nor a required build step.
//
// The first line gives node `--max-semi-space-size=2` (package.json's start and cli scripts
// say the same; test/install.test.ts): V8 sizes its young generation only when the process
// starts, so v8.setFlagsFromString below would come too late, and its default lets an idle
// bot hold memory it does not use. The footprint bench starts the bot as `npm start` does.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";

// Prisma's query compiler is WebAssembly that runs in short calls: V8's optimizing tier
// only costs memory and CPU there. Baseline-compiled only, the idle bot measured 114 MB
// instead of 188 MB resident, and 200 lookups took 117 ms instead of 186 ms.
v8.setFlagsFromString("--liftoff-only");

// Settings from `.env` in the folder the command runs in (npm scripts run in the project's),
// as .env.example says; a variable already set in the environment wins.
if (existsSync(".env")) process.loadEnvFile(".env");

const root = fileURLToPath(new URL("..", import.meta.url));
const compiled = `${root}dist/cli/main.js`;

function newestSource() {
  let newest = 0;
  for (const entry of readdirSync(`${root}src`, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

let entry;
if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource()) {
  // Traces name the TypeScript, each map read when a trace first needs it (src/stack-traces.ts).
  const { mapStackTraces } = await import(`${root}dist/stack-traces.js`);
  mapStackTraces(`${root}dist/`);
  entry = compiled;
} else {
  const { register } = await import("tsx/esm/api");
  register();
  entry = `${root}src/cli/main.ts`;
}
const { main, reportFailure } = await import(entry);
try {
  const code = await main(process.argv.slice(2));
  // serve keeps running until a signal; every other command exits with its status.
  if (code >= 0) process.exit(code);
} catch (error) {
  process.exit(reportFailure(error));
}
