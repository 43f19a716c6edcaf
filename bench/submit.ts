import { owedForNewRequest } from "../src/chat/owed.js";
import { systemClock } from "../src/core/clock.js";
import type { CoreDeps } from "../src/core/deps.js";
import { submitRequest } from "../src/core/requests/submit-request.js";
import { createPrismaRepositories } from "../src/db/repositories/index.js";
import { serviceSettings } from "../src/reminders/holidays.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { FORM, postgresRaw, sqliteRaw } from "./raw-writes.js";
import { type BenchRow, progress } from "./report.js";
import { alternate } from "./stats.js";

export async function benchSubmit(db: TestDatabase, options: { count: number; rounds: number }): Promise<BenchRow[]> {
  const repositories = createPrismaRepositories(db.database);
  const core: CoreDeps = { ...repositories, clock: systemClock, timeZone: "America/New_York", ...serviceSettings() };
  const actor = await repositories.people.resolve({ key: "slack:UBENCHSUBMIT", displayName: "Bench" });
  const raw = db.database.target.provider === "sqlite" ? sqliteRaw(db.url.slice("file:".length), actor.id) : postgresRaw(db.url, actor.id);
  const audience = { platforms: ["slack" as const], triageChannels: new Map([["slack" as const, "C0"]]) };
  let keys = 0;
  const ours = async () => {
    const started = performance.now();
    for (let index = 0; index < options.count; index++) {
      // The request and what it owes (the requester's notice, the triage card) in one transaction.
      const result = await submitRequest(core, {
        actor,
        raw: FORM,
        platform: "slack",
        idempotencyKey: `bench:${++keys}`,
        owe: (request) => owedForNewRequest(audience, request),
      });
      if (!result.ok) throw new Error("bench form invalid");
    }
    return options.count / ((performance.now() - started) / 1000);
  };
  const baseline = async () => {
    const started = performance.now();
    for (let index = 0; index < options.count; index++) await raw.insert();
    return options.count / ((performance.now() - started) / 1000);
  };
  try {
    progress(`submission throughput on ${db.database.target.provider}: ${options.rounds} rounds of ${options.count}`);
    await ours();
    await baseline();
    const runs = await alternate(options.rounds, ours, baseline);
    const mine = runs.a.reduce((sum, value) => sum + value, 0) / runs.a.length;
    const base = runs.b.reduce((sum, value) => sum + value, 0) / runs.b.length;
    const ratio = mine / base;
    return [
      {
        scenario: `Submission throughput (${db.database.target.provider})`,
        metric: "submits/s",
        value: mine,
        baseline: base,
        ratio,
        goal: "≥ 0.5×",
        met: ratio >= 0.5,
        unit: "/s",
      },
    ];
  } finally {
    await raw.close();
  }
}
