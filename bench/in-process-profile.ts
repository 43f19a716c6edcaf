import { mkdir, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import path from "node:path";

/**
 * Runs `work` under V8's CPU profiler when `--profile DIR` was given (BENCH_PROFILE_DIR), for
 * scenarios measured inside the bench's own process; writes `NAME.TIME.cpuprofile` there for
 * bench/profile-summary.ts. Without the option it only runs `work`.
 */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name}.${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
}
