import { owedForNewRequest } from "../src/chat/owed.js";
import { systemClock } from "../src/core/clock.js";
import type { CoreDeps } from "../src/core/deps.js";
import { submitRequest } from "../src/core/requests/submit-request.js";
import { createPrismaRepositories } from "../src/db/repositories/index.js";
import { serviceSettings } from "../src/reminders/holidays.js";
import { validForm } from "../test/helpers/core.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { type BenchRow, progress } from "./report.js";
import { alternate } from "./stats.js";
import {
  captureFromPostgres,
  captureFromSqlite,
  postgresWriter,
  type SubmissionWriter,
  sqlitePragmasOf,
  sqliteWriter,
} from "./submission-rows.js";

const FORM = validForm({ preferredStart: "2027-04-06", preferredEnd: "2027-04-08" });

/**
 * Submissions end to end through the core (a new requester each, the request and what it
 * owes: the requester's notice and a triage card) against the same rows written with the raw
 * driver, prepared once, on a connection set up as the bot's.
 */
export async function benchSubmit(db: TestDatabase, options: { count: number; rounds: number }): Promise<BenchRow[]> {
  const repositories = createPrismaRepositories(db.database);
  const core: CoreDeps = { ...repositories, clock: systemClock, timeZone: "America/New_York", ...serviceSettings() };
  const audience = {
    platforms: ["slack" as const],
    triageChannels: new Map([["slack" as const, "C0TRIAGE"]]),
    timeZone: "America/New_York",
  };
  let submissions = 0;
  const submitOne = async () => {
    const user = `UBS${String(++submissions).padStart(8, "0")}`;
    // As the bot's submitForm: a first-time requester is stored in the request's transaction.
    const { actor, unsaved } = await repositories.people.resolveRequester({ key: `slack:${user}`, displayName: user.toLowerCase() });
    const result = await submitRequest(core, {
      actor,
      raw: FORM,
      platform: "slack",
      idempotencyKey: `slack:view:V${user}:hash-1`,
      owe: (request) => owedForNewRequest(audience, request),
      ...(unsaved ? { newRequester: unsaved } : {}),
    });
    if (!result.ok) throw new Error("bench form invalid");
  };
  const provider = db.database.target.provider;
  // The rows the bot wrote for its first submission are what the raw driver writes after.
  await submitOne();
  const rows = provider === "sqlite" ? await captureFromSqlite(db.url.slice("file:".length)) : await captureFromPostgres(db.url);
  const writer: SubmissionWriter =
    provider === "sqlite"
      ? sqliteWriter(db.url.slice("file:".length), { rows, pragmas: await sqlitePragmasOf(db.database) })
      : postgresWriter(db.url, { rows });
  const perSecond = (one: () => unknown) => async () => {
    const started = performance.now();
    for (let index = 0; index < options.count; index++) await one();
    return options.count / ((performance.now() - started) / 1000);
  };
  const ours = perSecond(submitOne);
  const baseline = perSecond(() => writer.insert());
  try {
    progress(`submission persistence on ${provider}: ${options.rounds} rounds of ${options.count} (${rows.length} rows each)`);
    await ours();
    await baseline();
    const runs = await alternate(options.rounds, ours, baseline);
    const mine = runs.a.reduce((sum, value) => sum + value, 0) / runs.a.length;
    const base = runs.b.reduce((sum, value) => sum + value, 0) / runs.b.length;
    const ratio = mine / base;
    return [
      {
        scenario: `Submission persistence, person and owed messages included (${provider}) vs the raw driver, prepared once`,
        metric: "submits/s",
        value: mine,
        baseline: base,
        ratio,
        goal: "≥ 0.8×",
        met: ratio >= 0.8,
        unit: "/s",
      },
    ];
  } finally {
    await writer.close();
  }
}
