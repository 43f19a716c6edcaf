import { lookupCase } from "../src/core/cases/lookup-case.js";
import { systemClock } from "../src/core/clock.js";
import type { CoreDeps } from "../src/core/deps.js";
import { createPrismaRepositories } from "../src/db/repositories/index.js";
import { serviceSettings } from "../src/reminders/holidays.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { type BenchRow, progress } from "./report.js";
import { percentile, seededRandom } from "./stats.js";

/** `case` lookups of random existing ids by a faculty member: p50/p99 in milliseconds. */
export async function benchCaseLookup(
  db: TestDatabase,
  caseIds: string[],
  options: { lookups: number; label: string },
): Promise<BenchRow[]> {
  const repositories = createPrismaRepositories(db.database);
  const core: CoreDeps = { ...repositories, clock: systemClock, timeZone: "America/New_York", ...serviceSettings() };
  await repositories.people.grant("slack:UBENCHFAC", { role: "faculty" }, "bench");
  const faculty = await repositories.people.resolve({ key: "slack:UBENCHFAC" });
  const random = seededRandom(7);
  const pick = () => caseIds[Math.floor(random() * caseIds.length)]!;
  progress(`case lookups on ${options.label}: ${options.lookups}`);
  for (let index = 0; index < 200; index++) await lookupCase(core, faculty, pick());
  const latencies: number[] = [];
  for (let index = 0; index < options.lookups; index++) {
    const started = performance.now();
    await lookupCase(core, faculty, pick());
    latencies.push(performance.now() - started);
  }
  const p99 = percentile(latencies, 99);
  return [
    { scenario: `Case lookup (${options.label})`, metric: "p50", value: percentile(latencies, 50), unit: "ms" },
    { scenario: `Case lookup (${options.label})`, metric: "p99", value: p99, goal: "≤ 5 ms", met: p99 <= 5, unit: "ms" },
  ];
}
