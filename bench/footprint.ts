import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer } from "./processes.js";
import { type BenchRow, progress } from "./report.js";

interface Footprint {
  readyMs: number;
  rssMb: number;
}

/** Starts a server, times it to its first answer, then reads its resident memory after 2 s idle. */
async function measure(args: string[], env: Record<string, string>, url: string): Promise<Footprint> {
  const server = await startServer(args, env, url);
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { readyMs: server.readyMs, rssMb: await server.rssMb() };
  } finally {
    await server.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `npm start` on an existing SQLite database (no chat credentials) beside a bare Bolt app,
 * alternating: idle resident memory and start-to-ready (`/readyz` answers; Bolt: its
 * endpoint answers).
 */
export async function benchFootprint(options: { rounds: number }): Promise<BenchRow[]> {
  const file = path.join(tmpdir(), `ma-bench-footprint-${process.pid}.db`);
  const port = "39410";
  const bot = { args: ["bin/mission-assist.js", "serve"], env: { DATABASE_URL: `file:${file}`, PORT: port, LOG_LEVEL: "warn" } };
  // The first start creates and migrates the database: the measured ones find it ready.
  await measure(bot.args, bot.env, `http://127.0.0.1:${port}/readyz`);
  const ours: Footprint[] = [];
  const fresh: Footprint[] = [];
  const bare: Footprint[] = [];
  const removeFile = (name: string) => Promise.all(["", "-wal", "-shm"].map((suffix) => rm(name + suffix, { force: true })));
  for (let round = 0; round < options.rounds; round++) {
    progress(`footprint: round ${round + 1} of ${options.rounds}`);
    ours.push(await measure(bot.args, bot.env, `http://127.0.0.1:${port}/readyz`));
    // A fresh file: created, migrated and loaded with the demo cases before /readyz answers.
    const freshFile = `${file}-fresh-${round}`;
    fresh.push(await measure(bot.args, { ...bot.env, DATABASE_URL: `file:${freshFile}` }, `http://127.0.0.1:${port}/readyz`));
    await removeFile(freshFile);
    bare.push(await measure(["bench/bare-bolt.js"], { PORT: "39411" }, "http://127.0.0.1:39411/slack/events"));
  }
  await removeFile(file);
  const rss = { ours: median(ours.map((item) => item.rssMb)), bare: median(bare.map((item) => item.rssMb)) };
  const ready = { ours: median(ours.map((item) => item.readyMs)), bare: median(bare.map((item) => item.readyMs)) };
  const freshReady = median(fresh.map((item) => item.readyMs));
  return [
    {
      scenario: "Idle resident memory (npm start vs bare Bolt)",
      metric: "RSS",
      value: rss.ours,
      baseline: rss.bare,
      ratio: rss.ours / rss.bare,
      goal: "≤ 2×",
      met: rss.ours / rss.bare <= 2,
      unit: "MB",
    },
    {
      scenario: "Start to ready, existing database (npm start vs bare Bolt)",
      metric: "time",
      value: ready.ours,
      baseline: ready.bare,
      ratio: ready.ours / ready.bare,
      goal: "≤ 3×",
      met: ready.ours / ready.bare <= 3,
      unit: "ms",
    },
    {
      scenario: "Start to ready, fresh database file (npm start vs bare Bolt)",
      metric: "time",
      value: freshReady,
      baseline: ready.bare,
      ratio: freshReady / ready.bare,
      unit: "ms",
    },
  ];
}
