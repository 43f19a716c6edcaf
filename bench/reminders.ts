import type { ChatChannel } from "../src/chat/channel.js";
import { fixedClock } from "../src/core/clock.js";
import { addDays } from "../src/core/dates.js";
import { createPrismaRepositories } from "../src/db/repositories/index.js";
import { createLogger } from "../src/logger.js";
import { createDispatcher } from "../src/outbox/dispatcher.js";
import { serviceSettings } from "../src/reminders/holidays.js";
import { createReminderPass } from "../src/reminders/pass.js";
import { classifySlackError } from "../src/slack/outbound.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { type BenchRow, progress } from "./report.js";
import { alternate } from "./stats.js";

/** A channel that accepts every message at once: the pass's own cost is what is measured. */
function sinkChannel(): ChatChannel & { count: number } {
  const sink = {
    platform: "slack" as const,
    commandPrefix: "/ma ",
    count: 0,
    classifyError: classifySlackError,
    sendDirect: async () => {
      sink.count++;
      return undefined;
    },
    postCard: async () => {
      sink.count++;
      return "ts";
    },
    updateCard: async () => {},
    replyToCard: async () => {},
  };
  return sink;
}

interface PassMeasure {
  ms: number;
  peakHeapMb: number;
  sent: number;
}

async function measurePass(db: TestDatabase, dueDay: string): Promise<PassMeasure> {
  const { prisma } = db.database;
  // Each measured pass starts from the same state: nothing planned yet.
  await prisma.outbox.deleteMany();
  await prisma.setting.deleteMany({ where: { key: "reminders:last-day" } });
  const repositories = createPrismaRepositories(db.database);
  const channel = sinkChannel();
  const now = new Date(`${addDays(dueDay, -7)}T14:00:00Z`);
  const core = { ...repositories, clock: fixedClock(now), timeZone: "America/New_York", ...serviceSettings() };
  const log = createLogger("silent");
  const dispatcher = createDispatcher({ core, channels: [channel], sleep: async () => {}, timeZone: core.timeZone, log });
  const pass = createReminderPass({
    core,
    dispatcher,
    offsets: [14, 7, 1, 0, -1],
    timeZone: core.timeZone,
    platforms: [channel],
    digestTime: "08:30",
    log,
  });
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  await pass(now);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, peakHeapMb: (peak - base) / 1_048_576, sent: channel.count };
}

/** The same due milestones among a small and a large total: time and memory per pass. */
export async function benchReminderScaling(
  small: { db: TestDatabase; label: string },
  large: { db: TestDatabase; label: string },
  options: { dueDay: string; rounds: number },
): Promise<BenchRow[]> {
  progress(`reminder pass: ${small.label} vs ${large.label}, ${options.rounds} rounds`);
  await measurePass(small.db, options.dueDay);
  await measurePass(large.db, options.dueDay);
  const runs = await alternate(
    options.rounds,
    () => measurePass(small.db, options.dueDay),
    () => measurePass(large.db, options.dueDay),
  );
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const smallMs = median(runs.a.map((run) => run.ms));
  const largeMs = median(runs.b.map((run) => run.ms));
  const sent = runs.b[0]?.sent ?? 0;
  return [
    { scenario: `Reminder pass, ${sent} due (${small.label})`, metric: "time/pass", value: smallMs, unit: "ms" },
    {
      scenario: `Reminder pass, ${sent} due (${large.label})`,
      metric: "time/pass",
      value: largeMs,
      baseline: smallMs,
      ratio: largeMs / smallMs,
      goal: "≤ 1.5×",
      met: largeMs / smallMs <= 1.5,
      unit: "ms",
    },
    {
      scenario: `Reminder pass (${small.label})`,
      metric: "peak heap",
      value: Math.max(...runs.a.map((run) => run.peakHeapMb)),
      unit: "MB",
    },
    {
      scenario: `Reminder pass (${large.label})`,
      metric: "peak heap",
      value: Math.max(...runs.b.map((run) => run.peakHeapMb)),
      unit: "MB",
    },
  ];
}
