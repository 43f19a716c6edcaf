import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { type DovecotServer, startDovecot } from "../helpers/dovecot.js";
import { rawMail } from "../helpers/mail-messages.js";
import { SmtpStandIn } from "../helpers/smtp.js";

const database = END_TO_END_DATABASE;

describe("mission-assist mail --once and the doctor's mailbox lines", () => {
  let db: TestDatabase;
  let dovecot: DovecotServer;
  let smtp: SmtpStandIn;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await database.create();
    [dovecot, smtp] = await Promise.all([startDovecot(), new SmtpStandIn().start()]);
    env = {
      DATABASE_URL: db.url,
      TEAMS_LOCAL: "0",
      MAIL_TRANSPORT: "imap",
      MAIL_ADDRESS: "dsmc-i@dau.example.edu",
      IMAP_URL: dovecot.url,
      SMTP_URL: smtp.url,
    };
  });
  afterAll(async () => {
    await Promise.all([dovecot.dispose(), smtp.stop()]);
    await db.dispose();
  });

  it("reads the mailbox once, says what it did and sends the reply", async () => {
    await dovecot.deliver(
      rawMail({ from: "ann.ray@dla.example.mil", subject: "Pricing help", text: "We need help pricing an LOA amendment." }).raw,
    );
    await dovecot.deliver(
      rawMail({ from: "ann.ray@dla.example.mil", subject: "Auto", headers: { Precedence: "bulk" }, text: "newsletter" }).raw,
    );
    const result = await runCli(["mail", "--once"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^New requests: 1\n {2}ann\.ray@dla\.example\.mil: new request MA-\d{4}-0001 \(\d+ field\(s\) missing\)$/m,
    );
    expect(result.stdout).toContain("Ignored: 1\n  ann.ray@dla.example.mil: bulk or list mail (Precedence: bulk)");
    expect(result.stdout).toContain("Sent 1, retry later 0, failed 0, cancelled 0.");
    expect((await smtp.waitFor("ann.ray@dla.example.mil")).parsed.subject).toMatch(/^\[MA-\d{4}-0001\] Pricing help$/);
  });

  it("checks the mailbox login and sending in doctor, naming the variable when the login is refused", async () => {
    const good = await runCli(["doctor"], env);
    expect(good.stdout).toMatch(/✓ mailbox \(IMAP_URL\): INBOX: \d+ message\(s\), 0 unread/);
    expect(good.stdout).toContain("✓ sending (SMTP_URL): SMTP server accepts the login");
    const bad = await runCli(["doctor"], { ...env, IMAP_URL: dovecot.url.replace(dovecot.password, "wrong") });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("✗ mailbox (IMAP_URL): login refused: check the user and password in IMAP_URL");
    expect(bad.stdout).not.toContain("wrong");
  });

  it("fails clearly when the mailbox does not answer, and names a missing variable at start", async () => {
    await dovecot.stop();
    try {
      const down = await runCli(["mail", "--once"], env);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/^mission-assist: the mailbox did not answer \(imap\): .*ECONNREFUSED/);
    } finally {
      await dovecot.start();
    }
    const missing = await runCli(["mail", "--once"], { ...env, SMTP_URL: "" });
    expect(missing.stderr.trim()).toBe("Configuration error: SMTP_URL is required with MAIL_TRANSPORT=imap");
  });
});
