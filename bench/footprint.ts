import { spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchRow, progress } from "./report.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Footprint {
  readyMs: number;
  rssMb: number;
}

async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Starts a process, times it to the first answer on `url`, then reads its resident memory after 2 s idle. */
async function measure(args: string[], env: Record<string, string>, url: string): Promise<Footprint> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: "ignore" });
  try {
    for (;;) {
      const ok = await fetch(url, { method: "POST", signal: AbortSignal.timeout(1_000) }).then(
        (response) => response.status < 500 || response.status === 503,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 60_000) throw new Error(`${args.join(" ")} never answered`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { readyMs, rssMb: await residentMb(child.pid ?? 0) };
  } finally {
    child.kill("SIGKILL");
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
  const bare: Footprint[] = [];
  for (let round = 0; round < options.rounds; round++) {
    progress(`footprint: round ${round + 1} of ${options.rounds}`);
    ours.push(await measure(bot.args, bot.env, `http://127.0.0.1:${port}/readyz`));
    bare.push(await measure(["bench/bare-bolt.js"], { PORT: "39411" }, "http://127.0.0.1:39411/slack/events"));
  }
  await Promise.all(["", "-wal", "-shm"].map((suffix) => rm(file + suffix, { force: true })));
  const rss = { ours: median(ours.map((item) => item.rssMb)), bare: median(bare.map((item) => item.rssMb)) };
  const ready = { ours: median(ours.map((item) => item.readyMs)), bare: median(bare.map((item) => item.readyMs)) };
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
  ];
}
