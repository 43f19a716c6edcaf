#!/usr/bin/env node
// `npm run playground`: the Microsoft 365 Agents Playground (a Teams stand-in that renders
// Adaptive Cards) against the local bot, offline, without opening a browser by itself.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// The bot's own settings file, read as `npm start` reads it (the environment wins): the same PORT.
if (existsSync(".env")) process.loadEnvFile(".env");
const port = process.env.PORT ?? "3978";
const require = createRequire(import.meta.url);
const bin = require.resolve("@microsoft/m365agentsplayground/package.json").replace(/package\.json$/, "");
// 127.0.0.1, not localhost: the bot in local mode listens on IPv4 loopback only, and
// localhost may resolve to ::1 first.
const args = ["-e", `http://127.0.0.1:${port}/api/messages`, "-c", "msteams", "--disable-telemetry"];
console.log(`Agents Playground for the bot at http://127.0.0.1:${port}/api/messages — start the bot with \`npm start\` first.`);
// Loopback only: see loopback-only.cjs (the Playground answers as a faculty member to anyone who reaches it).
const loopbackOnly = fileURLToPath(new URL("loopback-only.cjs", import.meta.url));
const child = spawn(process.execPath, ["--require", loopbackOnly, `${bin}cli.js`, ...args], {
  stdio: "inherit",
  env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none" },
});
child.on("exit", (code) => process.exit(code ?? 0));
