import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "./report.js";
import { alternate, type LoadResult, summarise } from "./stats.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * `npm start` as package.json writes it: the environment it sets, node's options (the bin's
 * shebang carries the same, test/install.test.ts), then `bin/mission-assist.js serve`. The
 * benches start the bot with these, as operators do; the bare baselines run as plain
 * `node app.js`.
 */
export const NPM_START = (() => {
  const start = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  const words = start.split(/\s+/);
  const node = words.indexOf("node");
  const script = words.findIndex((word, index) => index > node && !word.startsWith("-"));
  if (node < 0 || script < 0) throw new Error(`package.json's start script no longer runs node: ${start}`);
  return {
    env: Object.fromEntries(words.slice(0, node).map((word) => word.split("=", 2) as [string, string])),
    nodeFlags: words.slice(node + 1, script),
    args: words.slice(script),
  };
})();

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
    server.on("error", reject);
  });
}

export async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One server and the load run against it in each round. */
export interface LoadSide {
  server: Pick<ServerProcess, "cpuMs">;
  run: () => Promise<LoadResult>;
}

/**
 * Runs the load on `ours` and on `base` alternately `rounds` times, each summarised, with
 * each server's own CPU time per request meanwhile. A side's `run` includes waiting until
 * everything the round owes was delivered, so ours counts its platform calls and outbox work.
 */
export async function compareLoads(rounds: number, ours: LoadSide, base: LoadSide) {
  const measured = async (side: LoadSide) => {
    const before = await side.server.cpuMs();
    const result = await side.run();
    return { result, cpuMs: (await side.server.cpuMs()) - before };
  };
  const runs = await alternate(
    rounds,
    () => measured(ours),
    () => measured(base),
  );
  const perRequest = (sides: Array<{ result: LoadResult; cpuMs: number }>) =>
    sides.reduce((sum, side) => sum + side.cpuMs, 0) / sides.reduce((sum, side) => sum + side.result.latencies.length, 0);
  const cpu = { ours: perRequest(runs.a), base: perRequest(runs.b) };
  return {
    ours: summarise(runs.a.map((side) => side.result)),
    base: summarise(runs.b.map((side) => side.result)),
    /** CPU per request, ours against the baseline's; with `limit`, the goal that ours is at most that many times it. */
    cpuRow: (scenario: string, limit?: number): BenchRow => ({
      scenario,
      metric: "CPU",
      value: cpu.ours,
      baseline: cpu.base,
      ratio: cpu.ours / cpu.base,
      ...(limit === undefined ? {} : { goal: `≤ ${limit}×`, met: cpu.ours / cpu.base <= limit }),
      unit: "ms",
    }),
  };
}

export interface ServerProcess {
  /** From spawn to the first answer on the ready URL. */
  readyMs: number;
  rssMb(): Promise<number>;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs a server in its own process, as it runs in production, so the load generator and
 * the platform stand-ins in the bench process are not charged to it. Ready when `readyUrl`
 * answers (`ok` decides what counts as an answer).
 */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
  ok: (status: number) => boolean = (status) => status < 500,
): Promise<ServerProcess> {
  const started = performance.now();
  // `npm run bench -- --profile DIR`: each server writes a CPU profile there when stopped.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const nodeArgs = profileDir
    ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${path.basename(args[0] ?? "server")}.${Date.now()}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A profiled server must exit on its own to write its profile; otherwise nothing is kept.
  const stop = async () => {
    child.kill(profileDir ? "SIGTERM" : "SIGKILL");
    await exited;
  };
  try {
    for (;;) {
      const ready = await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) }).then(
        (response) => ok(response.status),
        () => false,
      );
      if (ready) break;
      if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error(`${args.join(" ")} never answered`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { readyMs: performance.now() - started, rssMb: () => residentMb(child.pid ?? 0), cpuMs: () => cpuMs(child.pid ?? 0), stop };
}
