// Run in a process of its own by test/db/prisma-internals.test.ts: Prisma loads a provider's
// query compiler once per process, so only a fresh one shows which loader it used.
// With the argument `prefetch`, the compile is started first, as `serve` does.
import { createRequire } from "node:module";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../src/db/generated/sqlite/client.js";
import { prefetchQueryCompiler, prefetchWaiting, releasingQueryCompiler } from "../../src/db/query-compiler.js";

if (process.argv[2] === "prefetch") prefetchQueryCompiler("sqlite");
const waitingBefore = prefetchWaiting("sqlite");
const loaded: string[] = [];
const settings = { adapter: new PrismaBetterSqlite3({ url: ":memory:" }) };
Object.assign(settings, { __internal: releasingQueryCompiler((file) => loaded.push(file)) });
const prisma = new PrismaClient(settings);
// A query the compiler plans (not raw SQL): the table is missing, so it fails after planning.
const planned = await prisma.case.findUnique({ where: { id: "AB-D-XYZ" } }).then(
  () => "answered",
  (error: { code?: string }) => error.code ?? String(error),
);
await prisma.$disconnect();
const waitingAfter = prefetchWaiting("sqlite");
// A second database in the same process: Prisma reuses its compiler, so nothing is started for it.
prefetchQueryCompiler("sqlite");
const stillCached = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes("wasm-base64"));
console.log(JSON.stringify({ loaded, planned, stillCached, waitingBefore, waitingAfter, waitingAfterSecond: prefetchWaiting("sqlite") }));
