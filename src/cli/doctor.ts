import type { Config } from "../config.js";
import { systemClock } from "../core/clock.js";
import { createPrismaRepositories } from "../db/repositories/index.js";
import { formatCheck } from "../doctor/checks.js";
import { runDoctor } from "../doctor/run.js";
import { say, withDatabase } from "./shared.js";

/** `doctor`: one ✓/✗ line per check, printed as each ends; exit 0 only when all pass. */
export async function doctor(config: Config): Promise<number> {
  const results = await withDatabase(config, (database) => {
    const repositories = createPrismaRepositories(database);
    const deps = { config, database, core: { ...repositories, clock: systemClock }, conversations: repositories.conversations };
    return runDoctor(deps, (checks) => {
      for (const check of checks) say(formatCheck(check));
    });
  });
  const failed = results.filter((check) => !check.ok).length;
  say(failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`);
  return failed === 0 ? 0 : 1;
}
