import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ROOT } from "./processes.js";
import type { BenchRow } from "./report.js";
import { alternate } from "./stats.js";

const run = promisify(execFile);

/**
 * The bot's hand-written Slack caller against the WebClient for the same views.open (the
 * request modal), alternately, each in a process of its own so only the caller's CPU counts
 * (the stand-in answering runs here). The row that says whether the hand-written caller
 * still earns its place.
 */
export async function compareCallers(apiUrl: string, modal: string, options: { calls: number; rounds: number }): Promise<BenchRow> {
  const side = (which: "hand" | "webclient") => async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/caller.ts", which, apiUrl, String(options.calls), modal], {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    });
    const { cpuMs, calls } = JSON.parse(stdout) as { cpuMs: number; calls: number };
    return cpuMs / calls;
  };
  const runs = await alternate(options.rounds, side("hand"), side("webclient"));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [ours, base] = [mean(runs.a), mean(runs.b)];
  return {
    scenario: "Slack views.open of the request modal: the hand-written caller vs WebClient (caller's CPU per call)",
    metric: "CPU",
    value: ours,
    baseline: base,
    ratio: ours / base,
    unit: "ms",
  };
}
