import { simpleParser } from "mailparser";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { PARSER_OPTIONS } from "../src/mail/parse.js";
import type { MailTransport } from "../src/mail/transport.js";
import type { DatabaseKind } from "../test/helpers/databases.js";
import { profiled } from "./in-process-profile.js";
import { type BenchMail, benchMails } from "./mail-messages.js";
import { type BenchRow, progress } from "./report.js";

export const MAILBOX = "dsmc-i@dau.example.edu";
const TRIAGE = "C0TRIAGE";

/** The bot's configuration in this scenario: the mailbox and Slack with a triage channel, as a deployment has. */
function benchEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    MAIL_TRANSPORT: "imap",
    MAIL_ADDRESS: MAILBOX,
    // Never dialled: the pass reads the in-memory mailbox below, and nothing is sent.
    IMAP_URL: "imap://bench:bench@127.0.0.1:9",
    SMTP_URL: "smtp://bench:bench@127.0.0.1:9",
    SLACK_SIGNING_SECRET: "bench-signing-secret-0123456789abcdef",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_API_URL: "http://127.0.0.1:9/api/",
    SLACK_TRIAGE_CHANNEL: TRIAGE,
    TEAMS_LOCAL: "0",
    LOG_LEVEL: "warn",
  };
}

/** A mailbox holding these raw messages, unread until the pass marks them: the bytes the baseline parses too. */
function memoryMailbox(mails: BenchMail[]): MailTransport & { seen: number } {
  const box = {
    name: "memory",
    seen: 0,
    async readUnread(handle: Parameters<MailTransport["readUnread"]>[0]) {
      for (const [index, mail] of mails.entries()) if (await handle({ ref: String(index + 1), raw: mail.raw })) box.seen++;
      return mails.length;
    },
    send: () => Promise.reject(new Error("the bench mailbox sends nothing")),
    check: async () => [],
    close: async () => {},
  };
  return box;
}

interface Side {
  cpuMs: number;
  wallMs: number;
}

const measure = async (work: () => Promise<unknown>): Promise<Side> => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
};

/**
 * One `mail --once` pass as the CLI makes it (prepareContext, createChatAdapters, readOnce)
 * over a fresh database and an in-memory mailbox, timed from the pass's start to its end.
 * Startup and sending what is owed are outside the timing. Returns what went wrong, in words.
 */
async function botPass(kind: DatabaseKind, mails: BenchMail[], name: string): Promise<Side & { problems: string[] }> {
  // Loaded as the CLI loads it (src/cli/shared.ts loadApp): only when this scenario runs.
  const { createChatAdapters, prepareContext } = await import("../src/app.js");
  const db = await kind.create();
  const context = await prepareContext(loadConfig(benchEnv(db.url)), createLogger("warn"), { dispatch: false });
  try {
    const mailbox = memoryMailbox(mails);
    const { mail } = await createChatAdapters(context, { mail: { transport: mailbox } });
    if (!mail) throw new Error("the mail bridge is off");
    let summary: Awaited<ReturnType<typeof mail.readOnce>> | undefined;
    const side = await measure(() =>
      profiled(name, async () => {
        summary = await mail.readOnce();
      }),
    );
    const { prisma } = context.database;
    const [requests, replies, cards] = await Promise.all([
      prisma.maRequest.count({ where: { sourcePlatform: "email" } }),
      prisma.outbox.count({ where: { platform: "email", conversationId: { startsWith: "@email:" } } }),
      prisma.outbox.count({ where: { platform: "slack", conversationId: TRIAGE, kind: "triage-card" } }),
    ]);
    const expected = mails.length;
    const problems = [
      summary?.requests.filter((line) => line.includes(": new request MA-")).length === expected
        ? ""
        : `pass said ${summary?.requests.length ?? 0} new requests`,
      requests === expected ? "" : `${requests} requests stored`,
      replies === expected ? "" : `${replies} owed replies`,
      cards === expected ? "" : `${cards} owed triage cards`,
      mailbox.seen === expected ? "" : `${mailbox.seen} mails marked read`,
      summary && summary.held.length + summary.ignored.length + summary.failed + summary.duplicates > 0
        ? `held ${summary.held.length}, ignored ${summary.ignored.length}, failed ${summary.failed}, duplicates ${summary.duplicates}`
        : "",
    ].filter(Boolean);
    await mail.stop();
    return { ...side, problems: problems.map((problem) => `${problem} (expected ${expected})`) };
  } finally {
    await context.database.close();
    await db.dispose();
  }
}

/** mailparser alone over the same bytes, with the options the bridge gives it. */
const parseAll = (mails: BenchMail[], name: string) =>
  measure(() =>
    profiled(name, async () => {
      for (const mail of mails) await simpleParser(mail.raw, PARSER_OPTIONS);
    }),
  );

const WARM_UP = 100;

/**
 * New mails through the bridge's pass, exactly as `mail --once` runs it (parse, thread, store
 * the request, owe the reply and the triage card, mark read) against mailparser parsing the
 * same raw messages alone; both start from the same bytes in memory, alternated per round,
 * each measured in this process's CPU time.
 */
export async function benchMail(kind: DatabaseKind, options: { count: number; rounds: number; quick: boolean }): Promise<BenchRow[]> {
  const mails = await benchMails(options.count);
  progress(
    `mail pass on ${kind.name}: ${options.rounds} rounds of ${options.count} new mails (${(mails.reduce((sum, mail) => sum + mail.raw.length, 0) / 1024).toFixed(0)} KiB), a fresh database each round; warm-up of ${WARM_UP}`,
  );
  await botPass(kind, mails.slice(0, WARM_UP), `mail-warmup-${kind.name}`);
  await parseAll(mails.slice(0, WARM_UP), `mailparser-warmup-${kind.name}`);
  const ours: Side[] = [];
  const base: Side[] = [];
  const problems: string[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const mine = await botPass(kind, mails, `mail-pass-${kind.name}`);
    const parsed = await parseAll(mails, `mailparser-${kind.name}`);
    ours.push(mine);
    base.push(parsed);
    for (const problem of mine.problems) console.log(`  FAILED mail pass on ${kind.name}, round ${round}: ${problem}`);
    problems.push(...mine.problems);
    progress(
      `  round ${round} of ${options.rounds}: pass ${mine.cpuMs.toFixed(0)} ms CPU (${mine.wallMs.toFixed(0)} ms wall), mailparser ${parsed.cpuMs.toFixed(0)} ms CPU (${parsed.wallMs.toFixed(0)} ms wall)${mine.problems.length ? `, ${mine.problems.length} problem(s)` : ""}`,
    );
  }
  const perMail = (sides: Side[], key: keyof Side) => sides.reduce((sum, side) => sum + side[key], 0) / sides.length / options.count;
  const cpu = { ours: perMail(ours, "cpuMs"), base: perMail(base, "cpuMs") };
  const wall = { ours: 1000 / perMail(ours, "wallMs"), base: 1000 / perMail(base, "wallMs") };
  const ratio = cpu.ours / cpu.base;
  const size = `${options.count.toLocaleString("en-US")} new mails${options.quick && options.count < 1_000 ? " (--quick; the issue's size is 1,000)" : ""}`;
  const scenario = `Mail pass, ${size}: readMailbox as mail --once runs it (parse, thread, store the request, owe the reply and the triage card; sending not included), in-memory mailbox (${kind.name}${kind.name === "postgresql" ? ", bot process CPU only" : ""}) vs mailparser simpleParser alone on the same bytes`;
  progress(`  mail pass on ${kind.name}: ${ratio.toFixed(2)}× mailparser's CPU time per mail (goal ≤ 3×)`);
  return [
    {
      scenario,
      metric: "CPU ms/mail",
      value: cpu.ours,
      baseline: cpu.base,
      ratio,
      goal: "≤ 3×",
      met: ratio <= 3 && problems.length === 0,
      unit: "ms",
    },
    {
      scenario: `Mail pass, ${size} (${kind.name}), wall clock`,
      metric: "mails/s",
      value: wall.ours,
      baseline: wall.base,
      ratio: wall.base / wall.ours,
      ratioLabel: "mailparser mails/s ÷ ours (time ratio)",
      unit: "/s",
    },
    {
      scenario: `Mail pass (${kind.name}): failed checks (counts, replies, cards, marked read)`,
      metric: "failures",
      value: problems.length,
      unit: "",
    },
  ];
}
