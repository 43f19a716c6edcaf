#!/usr/bin/env node
// Generates the Prisma client for both providers (runs on `npm install`).
// `prisma generate` does not use the schema engine, but the CLI tries to download
// that binary first and fails offline; pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file stops the download. Migrations use @prisma/schema-engine-wasm instead.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
  // The schemas' second generator (prisma-kysely) is found as a command, as under `npm run`.
  PATH: [path.join(root, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
};

// Kysely's types only matter to `tsc`: an install without dev dependencies (no TypeScript,
// no prisma-kysely) generates the client alone.
const withKyselyTypes = existsSync(path.join(root, "node_modules", "prisma-kysely"));
const only = withKyselyTypes ? [] : ["--generator", "client"];

for (const provider of ["sqlite", "postgresql"]) {
  const result = spawnSync(
    process.execPath,
    ["node_modules/prisma/build/index.js", "generate", "--schema", `prisma/${provider}/schema.prisma`, ...only],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
  );
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`Prisma client generation failed for ${provider}.`);
    process.exit(result.status ?? 1);
  }
  console.log(`Prisma client generated (${provider}).`);
}
