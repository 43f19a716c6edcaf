import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { createSubscriber, END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";

const database = END_TO_END_DATABASE;

describe("mission-assist serve and sending commands when something is wrong", () => {
  let db: TestDatabase;
  let taken: Server;
  let port = 0;
  let slackApi: SlackApiStandIn;

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    taken = createServer((_req, res) => res.end("someone else"));
    await new Promise<void>((resolve) => taken.listen(0, "0.0.0.0", () => resolve()));
    const address = taken.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    await slackApi.stop();
    await db.dispose();
  });

  it("refuses a port that is already taken: one line naming it, non-zero exit, nothing else started", async () => {
    const result = await runCli(["serve"], { DATABASE_URL: db.url, PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `mission-assist: port ${port} is already in use (PORT): stop the other process or choose another port`,
    ]);
    expect(result.stdout).not.toMatch(/is running/);
    // Checked before migrations and demo data: the empty database stays empty.
    const tables = await db.database.prisma.$queryRawUnsafe<unknown[]>(
      database.name === "sqlite"
        ? "SELECT name FROM sqlite_master WHERE type = 'table'"
        : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    );
    expect(tables).toEqual([]);
  });

  it("names DATABASE_URL in one line when the SQLite file cannot be opened or PostgreSQL cannot be reached", async () => {
    const sqliteFile = await runCli(["migrate"], { DATABASE_URL: "file:/proc/ma.db" });
    expect([sqliteFile.code, sqliteFile.stderr]).toEqual([
      1,
      "mission-assist: DATABASE_URL: cannot open the SQLite file /proc/ma.db (SQLITE_CANTOPEN): check that the folder exists and this user may write there\n",
    ]);
    // A port nothing listens on: the taken one is closed again only after the tests.
    const refused = createServer();
    await new Promise<void>((resolve) => refused.listen(0, "127.0.0.1", () => resolve()));
    const address = refused.address();
    const freePort = typeof address === "object" && address ? address.port : 0;
    await new Promise<void>((resolve) => refused.close(() => resolve()));
    for (const command of [["migrate"], ["serve"], ["roles", "list"]]) {
      const result = await runCli(command, { DATABASE_URL: `postgresql://postgres@127.0.0.1:${freePort}/test`, PORT: "0" });
      expect([result.code, result.stderr]).toEqual([
        1,
        `mission-assist: DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:${freePort}: is the server running, and are the host and port right?\n`,
      ]);
    }
  });

  it("ends a reminder pass with its summary while Slack refuses everything, and shows what is owed", async () => {
    expect((await runCli(["migrate"], { DATABASE_URL: db.url })).code).toBe(0);
    slackApi.failNext("chat.postMessage", 503, { count: 100 });
    const { prisma } = db.database;
    await prisma.case.create({ data: { id: "GY-D-QQQ", title: "ATC radar", status: "OFFERED", type: "FMS", category: "C" } });
    await prisma.milestone.create({ data: { caseId: "GY-D-QQQ", type: "OED", dueDate: "2026-06-15" } });
    await createSubscriber(prisma);
    await prisma.subscription.create({
      data: { platform: "slack", conversationId: "C0SUB", targetType: "case", targetId: "GY-D-QQQ", createdById: "x" },
    });
    const env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_API_URL: `${slackApi.url}/api/`,
    };
    const dry = await runCli(["remind", "--once", "--now", "2026-06-08T14:00:00Z", "--dry-run"], env);
    // Named as a person reads them, not by database ids.
    expect(dry.stdout).toContain("  GY-D-QQQ Offer expiration (OED), due 2026-06-15 (7 day(s) before) → slack channel C0SUB");
    const before = new Date();
    const pass = await runCli(["remind", "--once", "--now", "2026-06-08T14:00:00Z"], env);
    expect([pass.code, pass.stderr]).toEqual([0, ""]);
    const [, planned, retried] =
      /Planned (\d+) new of \d+, 0 service-level nudge\(s\) and 0 digest\(s\); sent 0, retry later (\d+), failed 0/.exec(pass.stdout) ?? [];
    expect(Number(planned)).toBeGreaterThan(0);
    expect(retried).toBe(planned);
    const status = await runCli(["outbox", "--status"], { DATABASE_URL: db.url });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`Outbox: ${planned} pending, 0 sent, 0 failed, 0 cancelled\\.`));
    // Planned as of June, but owed from now: the retries back off on the real clock.
    const rows = await prisma.outbox.findMany({ select: { createdAt: true, nextAttemptAt: true } });
    expect(rows.every((row) => row.createdAt >= before && row.nextAttemptAt > row.createdAt)).toBe(true);
  });
});
