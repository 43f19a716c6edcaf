#!/usr/bin/env node
// `npm run playground`: the Microsoft 365 Agents Playground (a Teams stand-in that renders
// Adaptive Cards) against the local bot, offline, without opening a browser by itself.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const port = process.env.PORT ?? "3978";
const require = createRequire(import.meta.url);
const bin = require.resolve("@microsoft/m365agentsplayground/package.json").replace(/package\.json$/, "");
// 127.0.0.1, not localhost: the bot in local mode listens on IPv4 loopback only, and
// localhost may resolve to ::1 first.
const args = ["-e", `http://127.0.0.1:${port}/api/messages`, "-c", "msteams", "--disable-telemetry"];
console.log(`Agents Playground for the bot at http://127.0.0.1:${port}/api/messages — start the bot with \`npm start\` first.`);
const child = spawn(process.execPath, [`${bin}cli.js`, ...args], {
  stdio: "inherit",
  env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none" },
});
child.on("exit", (code) => process.exit(code ?? 0));
