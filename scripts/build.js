#!/usr/bin/env node
// `npm run build` (and the end of `npm install`): compiles src/ to dist/ with source maps,
// which `npm start` and the `mission-assist` command run. Without TypeScript installed
// (a production install without dev dependencies) it says so and the command falls back
// to running the sources through tsx.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleVendored, redirectPrismaRuntime } from "./vendor-bundles.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = `${root}node_modules/typescript/bin/tsc`;
if (!existsSync(tsc)) {
  console.log("TypeScript is not installed: mission-assist will run the sources through tsx.");
  process.exit(0);
}
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (result.status !== 0) {
  console.error("Compiling src/ to dist/ failed (see above).");
  process.exit(result.status ?? 1);
}
await bundleVendored(`${root}dist/vendor`);
await redirectPrismaRuntime(`${root}dist/db/generated`, `${root}dist/vendor`);
console.log(`Compiled src/ to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
