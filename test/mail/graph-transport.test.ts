import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELTA_KEY } from "../../src/mail/graph.js";
import { runCli } from "../helpers/cli.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { GraphStandIn } from "../helpers/graph-api.js";
import { rawMail } from "../helpers/mail-messages.js";

const database = END_TO_END_DATABASE;
const MAILBOX = "dsmc-i@dau.example.edu";

/**
 * MAIL_TRANSPORT=graph end to end: the real CLI (real @azure/msal-node and Graph client) in
 * its own process, trusting the stand-in's self-signed certificate through NODE_EXTRA_CA_CERTS,
 * against an HTTPS stand-in for Entra and Graph on loopback that records what it receives.
 */
describe("the e-mail bridge over Microsoft Graph", () => {
  let db: TestDatabase;
  let graph: GraphStandIn;
  let env: Record<string, string>;
  const mailOnce = () => runCli(["mail", "--once"], env);
  const requestsFrom = (address: string) =>
    db.database.prisma.maRequest.count({ where: { requester: { identities: { some: { key: `email:${address}` } } } } });
  const sentTo = (address: string) => graph.sent.filter((mail) => mail.parsed.to && JSON.stringify(mail.parsed.to).includes(address));

  beforeAll(async () => {
    db = await database.create();
    graph = await new GraphStandIn().start();
    env = {
      DATABASE_URL: db.url,
      TEAMS_LOCAL: "0",
      MAIL_TRANSPORT: "graph",
      MAIL_ADDRESS: MAILBOX,
      GRAPH_TENANT_ID: "dau-tenant",
      GRAPH_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
      GRAPH_CLIENT_SECRET: graph.secret,
      GRAPH_API_URL: graph.url,
      GRAPH_LOGIN_URL: graph.url,
      NODE_EXTRA_CA_CERTS: graph.caFile,
    };
  });
  afterAll(async () => {
    await graph?.stop();
    await db?.dispose();
  });

  it("makes a request of a new mail and answers it through sendMail, threaded, with the MIME headers intact", async () => {
    graph.deliver(rawMail({ from: "old@army.example.mil", subject: "Read already", text: "A person read this one." }).raw, {
      isRead: true,
    });
    const mail = rawMail({ from: "ann.ray@dla.example.mil", subject: "Pricing help", text: "We need help pricing an LOA amendment." });
    const id = graph.deliver(mail.raw);
    const gone = graph.deliver(rawMail({ from: "gone@navy.example.mil", subject: "Deleted", text: "Removed before reading." }).raw);
    graph.change(gone, { removed: true });

    const result = await mailOnce();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^New requests: 1\n {2}ann\.ray@dla\.example\.mil: new request (MA-\d{4}-0001)/m);
    expect(result.stdout).toContain("Sent 1, retry later 0, failed 0, cancelled 0.");
    expect(await requestsFrom("old@army.example.mil")).toBe(0);

    const [reply] = sentTo("ann.ray@dla.example.mil");
    expect(reply?.parsed.subject).toMatch(/^\[MA-\d{4}-0001\] Pricing help$/);
    expect(reply?.parsed.from?.text).toBe(MAILBOX);
    expect(reply?.parsed.inReplyTo).toBe(mail.messageId);
    expect(reply?.parsed.references).toBe(mail.messageId);
    expect(reply?.parsed.messageId).toMatch(/^<ma-[^@]+@dau\.example\.edu>$/);
    expect(reply?.parsed.headers.get("x-auto-response-suppress")).toBe("All");
    expect(reply?.parsed.headers.get("auto-submitted")).toBe("auto-replied");
    // Marked read after its request was stored; the round paged (two rows a page) and its delta link is kept.
    expect(graph.messages.find((message) => message.id === id)?.isRead).toBe(true);
    expect(graph.calls.filter((call) => call.url.includes("$skiptoken=")).length).toBeGreaterThan(0);
    const stored = await db.database.prisma.setting.findUnique({ where: { key: DELTA_KEY } });
    expect(stored?.value).toMatch(/\/messages\/delta\?\$deltatoken=\d+$/);

    // The next pass starts from that link: nothing new, nothing read twice.
    const again = await mailOnce();
    expect(again.stdout).toContain("New requests: 0");
    expect(graph.calls.filter((call) => call.method === "GET" && call.url.endsWith("/$value"))).toHaveLength(1);
  });

  /** The database refuses to store a request whose description has this text (a trigger), until `heal`. */
  const refuseRequests = async (text: string) => {
    const prisma = db.database.prisma;
    if (db.url.startsWith("file:")) {
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER ma_refuse BEFORE INSERT ON "MaRequest" WHEN NEW."problemStatement" LIKE '%${text}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
      );
      return () => prisma.$executeRawUnsafe("DROP TRIGGER ma_refuse");
    }
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION ma_refuse() RETURNS trigger AS $$ BEGIN IF NEW."problemStatement" LIKE '%${text}%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await prisma.$executeRawUnsafe(`CREATE TRIGGER ma_refuse BEFORE INSERT ON "MaRequest" FOR EACH ROW EXECUTE FUNCTION ma_refuse()`);
    return () => prisma.$executeRawUnsafe("DROP FUNCTION ma_refuse CASCADE");
  };

  it("leaves a mail unread while its transaction fails, then makes one request of it", async () => {
    const id = graph.deliver(
      rawMail({ from: "kim.wu@usmc.example.mil", subject: "Hybrid case", text: "Advice on a hybrid FMS and DCS case, please." }).raw,
    );
    const heal = await refuseRequests("hybrid FMS and DCS");
    let failed: Awaited<ReturnType<typeof mailOnce>>;
    try {
      failed = await mailOnce();
    } finally {
      await heal();
    }
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("Left unread to try again: 1");
    expect(graph.messages.find((message) => message.id === id)?.isRead).toBe(false);
    expect(graph.calls.some((call) => call.method === "PATCH" && call.url.includes(encodeURIComponent(id)))).toBe(false);
    expect(await requestsFrom("kim.wu@usmc.example.mil")).toBe(0);

    // The delta link did not move past it: the next pass lists it again.
    const next = await mailOnce();
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/kim\.wu@usmc\.example\.mil: new request MA-/);
    expect(graph.messages.find((message) => message.id === id)?.isRead).toBe(true);
    expect(await requestsFrom("kim.wu@usmc.example.mil")).toBe(1);
    expect(sentTo("kim.wu@usmc.example.mil")).toHaveLength(1);
  });

  it("reads everything again when the delta link expired (410) and makes no duplicate of a mail seen before", async () => {
    // A person marks an answered mail unread again in Outlook, and the stored link expires.
    const handled = graph.messages.find((message) => message.raw.includes("ann.ray@dla.example.mil"));
    graph.change(handled?.id ?? "", { isRead: false });
    graph.expireDeltaLinks();
    graph.deliver(rawMail({ from: "lee.park@army.example.mil", subject: "LOR review", text: "Please review our LOR draft." }).raw);
    const calls = graph.calls.length;

    const result = await mailOnce();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const round = graph.calls.slice(calls).filter((call) => call.url.includes("/messages/delta"));
    expect(round[0]).toMatchObject({ status: 410 });
    expect(round[1]?.url).not.toContain("$deltatoken");
    expect(result.stdout).toMatch(/^New requests: 1\n {2}lee\.park@army\.example\.mil: new request/m);
    expect(result.stdout).toContain("Already seen: 1");
    expect(await requestsFrom("ann.ray@dla.example.mil")).toBe(1);
    expect(sentTo("ann.ray@dla.example.mil")).toHaveLength(1);
    expect(graph.messages.every((message) => message.isRead || message.removed)).toBe(true);
  });

  it("takes a 429 with Retry-After as one retryable failure: the outbox waits that long, the pass says so", async () => {
    graph.throttle = { match: /^POST .*\/sendMail$/, retryAfter: 120 };
    graph.deliver(rawMail({ from: "pat.lee@af.example.mil", subject: "BPC plan", text: "Please review our BPC training plan." }).raw);
    const before = Date.now();
    const sending = await mailOnce();
    expect(sending.code).toBe(0);
    expect(sending.stdout).toContain("Sent 0, retry later 1, failed 0, cancelled 0.");
    const owed = await db.database.prisma.outbox.findFirstOrThrow({ where: { platform: "email", status: "PENDING" } });
    expect(owed.lastError).toBe("rate limited");
    expect(owed.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);

    // Reading throttled: one plain line, nothing read.
    graph.throttle = { match: /^GET .*\/messages\/delta$/, retryAfter: 7 };
    const reading = await mailOnce();
    expect(reading.code).toBe(1);
    expect(reading.stderr.trim()).toBe(
      "mission-assist: the mailbox did not answer (graph): Graph throttled reading the Inbox (HTTP 429, TooManyRequests); retry after 7 s",
    );

    // Once the wait is over the owed reply goes out.
    await db.database.prisma.outbox.update({ where: { id: owed.id }, data: { nextAttemptAt: new Date() } });
    const later = await mailOnce();
    expect(later.stdout).toContain("Sent 1, retry later 0, failed 0, cancelled 0.");
    expect(sentTo("pat.lee@af.example.mil")).toHaveLength(1);
  });

  it("names the variable when the sign-in is refused, and never prints the secret", async () => {
    const wrong = "wr0ng-secret-value";
    const result = await runCli(["mail", "--once"], { ...env, GRAPH_CLIENT_SECRET: wrong });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `mission-assist: the mailbox did not answer (graph): ${graph.url} refused GRAPH_CLIENT_SECRET (invalid_client, AADSTS7000215): create a new client secret under the app registration's Certificates & secrets and set GRAPH_CLIENT_SECRET`,
    );
    const doctor = await runCli(["doctor"], { ...env, GRAPH_CLIENT_SECRET: wrong });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(
      `✗ Graph token (GRAPH_CLIENT_SECRET): ${graph.url} refused GRAPH_CLIENT_SECRET (invalid_client, AADSTS7000215) — create a new client secret under the app registration's Certificates & secrets and set GRAPH_CLIENT_SECRET\n`,
    );
    for (const output of [result.stdout, result.stderr, doctor.stdout, doctor.stderr]) {
      expect(output).not.toContain(wrong);
      expect(output).not.toContain(graph.secret);
    }
  });

  it("checks the token, the mailbox and the send permission in doctor, and names the access policy on a 403", async () => {
    const good = await runCli(["doctor"], env);
    const lines = good.stdout.split("\n").filter((line) => /Graph token|mailbox|sending/.test(line));
    expect(lines).toEqual([
      `✓ Graph token (GRAPH_CLIENT_ID): obtained for app ${env.GRAPH_CLIENT_ID} from ${graph.url} (public cloud; Graph at ${graph.url})`,
      expect.stringMatching(/^✓ mailbox \(MAIL_ADDRESS\): dsmc-i@dau\.example\.edu Inbox: \d+ message\(s\), 0 unread \(Mail\.ReadWrite\)$/),
      "✓ sending (Mail.Send): the token carries the Mail.Send application permission (read from the token; no mail sent)",
    ]);
    expect(good.stdout).not.toContain(graph.secret);

    // RBAC for Applications: the grants are in Exchange, the token carries no mail roles.
    graph.roles = [];
    const rbac = await runCli(["doctor"], env);
    expect(rbac.stdout).toMatch(/✓ mailbox \(MAIL_ADDRESS\): .* \(granted by Exchange RBAC for Applications\)/);
    expect(rbac.stdout).toContain(
      '✓ sending (Mail.Send): the token carries no mail roles: Exchange RBAC for Applications must assign "Application Mail.Send" (not checkable without sending)',
    );

    graph.denied = true;
    graph.roles = ["Mail.ReadWrite"];
    try {
      const denied = await runCli(["doctor"], env);
      expect(denied.code).toBe(1);
      expect(denied.stdout).toContain(
        "✗ mailbox (MAIL_ADDRESS): Graph denied the app reading dsmc-i@dau.example.edu's Inbox (HTTP 403, ErrorAccessDenied) — give the app the application permissions Mail.ReadWrite and Mail.Send with admin consent; an Exchange Online application access policy (New-ApplicationAccessPolicy) or RBAC for Applications must grant this app the mailbox",
      );
      expect(denied.stdout).toContain(
        "✗ sending (Mail.Send): the token carries no Mail.Send permission (roles: Mail.ReadWrite) — add the application permission Mail.Send to the app registration and grant admin consent",
      );
    } finally {
      graph.denied = false;
      graph.roles = ["Mail.ReadWrite", "Mail.Send"];
    }
  });
});
