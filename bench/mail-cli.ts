import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import { SMTPServer } from "smtp-server";
import type { DatabaseKind } from "../test/helpers/databases.js";
import { startDovecot } from "../test/helpers/dovecot.js";
import { MAILBOX } from "./mail.js";
import { benchMails } from "./mail-messages.js";
import { NPM_START, ROOT } from "./processes.js";
import { type BenchRow, progress } from "./report.js";

/** An SMTP server on loopback that accepts and counts what it is sent, and keeps nothing. */
async function countingSmtp(): Promise<{ url: string; accepted: () => number; stop: () => Promise<void> }> {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: "bot" }),
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on("end", () => {
        accepted++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://bot:secret@127.0.0.1:${port}`,
    accepted: () => accepted,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `mission-assist mail --once` in its own process, as an operator runs it: its wall time and output. */
async function mailOnce(env: Record<string, string>, cwd: string): Promise<{ seconds: number; code: number | null; stdout: string }> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=mail-once.${Date.now()}.cpuprofile`] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...NPM_START.nodeFlags, path.join(ROOT, "bin/mission-assist.js"), "mail", "--once"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...NPM_START.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { seconds: (performance.now() - started) / 1000, code, stdout };
}

/**
 * Informational, no goal: the real `mail --once` command against a real Dovecot holding
 * `count` APPENDed mails, from process start to exit: startup, reading over IMAP one message
 * at a time, the pass, and sending the owed replies over SMTP on loopback (mail is the only
 * platform here: a Slack triage channel is paced at one card a second). The same command
 * over an empty mailbox is the baseline: what start-up and shut-down cost alone.
 */
export async function benchMailCli(kind: DatabaseKind, options: { count: number; quick: boolean }): Promise<BenchRow[]> {
  if (!existsSync("/usr/sbin/dovecot")) {
    progress("mail --once against Dovecot: skipped, /usr/sbin/dovecot is not installed (apt-get install dovecot-imapd)");
    return [];
  }
  const mails = await benchMails(options.count);
  const [dovecot, smtp, db] = await Promise.all([startDovecot(), countingSmtp(), kind.create()]);
  try {
    const cwd = await mkdtemp(path.join(tmpdir(), "ma-bench-mail-"));
    const env = {
      DATABASE_URL: db.url,
      MAIL_TRANSPORT: "imap",
      MAIL_ADDRESS: MAILBOX,
      IMAP_URL: dovecot.url,
      SMTP_URL: smtp.url,
      TEAMS_LOCAL: "0",
      LOG_LEVEL: "warn",
    };
    // The first run migrates the fresh database and reads the empty mailbox: neither is charged to the measured run.
    await mailOnce(env, cwd);
    const empty = await mailOnce(env, cwd);
    progress(`mail --once against Dovecot on ${kind.name}: APPENDing ${options.count} mails`);
    const client = new ImapFlow({
      host: "127.0.0.1",
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await client.connect();
    for (const mail of mails) await client.append("INBOX", mail.raw);
    await client.logout();
    progress(`mail --once against Dovecot on ${kind.name}: reading ${options.count} mails`);
    const run = await mailOnce(env, cwd);
    const made = Number(/^New requests: (\d+)$/m.exec(run.stdout)?.[1] ?? 0);
    const sent = Number(/^Sent (\d+),/m.exec(run.stdout)?.[1] ?? 0);
    const unseen = (await dovecot.inbox()).filter((message) => !message.seen).length;
    const problems = [
      run.code === 0 ? "" : `exit status ${run.code}`,
      made === options.count ? "" : `${made} new requests`,
      sent === options.count && smtp.accepted() === options.count ? "" : `${sent} sent, ${smtp.accepted()} accepted by SMTP`,
      unseen === 0 ? "" : `${unseen} mails left unread`,
    ].filter(Boolean);
    for (const problem of problems)
      console.log(`  FAILED mail --once against Dovecot on ${kind.name}: ${problem} (expected ${options.count})`);
    progress(
      `  mail --once on ${kind.name}: ${run.seconds.toFixed(1)} s for ${options.count} mails (${(options.count / run.seconds).toFixed(0)} mails/s); an empty mailbox takes ${empty.seconds.toFixed(1)} s`,
    );
    const size = `${options.count.toLocaleString("en-US")} mails${options.quick && options.count < 1_000 ? " (--quick)" : ""}`;
    const scenario = `mail --once CLI process vs real Dovecot, ${size} APPENDed (${kind.name}): start to exit, IMAP fetch, pass, ${options.count} replies sent over SMTP on loopback; baseline: the same command on an empty mailbox`;
    return [
      { scenario, metric: "s (wall)", value: run.seconds, baseline: empty.seconds, unit: "s" },
      {
        scenario: `mail --once CLI process vs real Dovecot, ${size} (${kind.name})`,
        metric: "mails/s (wall)",
        value: options.count / run.seconds,
        unit: "/s",
      },
      { scenario: `mail --once CLI vs Dovecot (${kind.name}): failed checks`, metric: "failures", value: problems.length, unit: "" },
    ];
  } finally {
    await Promise.all([dovecot.dispose(), smtp.stop(), db.dispose()]);
  }
}
