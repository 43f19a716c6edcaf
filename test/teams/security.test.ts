import type { AddressInfo } from "node:net";
import { connect, createServer as createNetServer } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { encodeReminderAction } from "../../src/chat/views.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type ActivityPolicy, PLAYGROUND_USER, refusalOf } from "../../src/teams/activity-policy.js";
import { BotConnectorStandIn, cardText } from "../helpers/bot-connector.js";
import { END_TO_END_DATABASE, type TestDatabase, withDemoCases } from "../helpers/databases.js";
import { SIGNING_SECRET } from "../helpers/slack-requests.js";
import { type Conversation, invokeActivity, messageActivity, type Person, postActivity, postRaw } from "../helpers/teams-activities.js";

const database = END_TO_END_DATABASE;
const FACULTY: Person = { aad: "aad-faculty", name: "Morgan Hale" };
const STRANGER: Person = { aad: "aad-stranger", name: "Eve" };
const dm = (person: Person): Conversation => ({ id: `a:dm-${person.aad}`, type: "personal" });

/** This machine's addresses on its networks (not loopback): where another machine would connect. */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && !entry.internal && entry.family === "IPv4")
    .map((entry) => entry!.address);
}

/** Attacks from the security review, each through real teams-ai over HTTP: none gets anything. */
describe("Teams security in local mode (no credentials)", () => {
  let db: TestDatabase;
  let connector: BotConnectorStandIn;
  let app: RunningApp;
  let endpoint: string;

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    connector = await new BotConnectorStandIn().start();
    app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0" }), createLogger("silent"), { reminders: false });
    await withDemoCases(app.database);
    endpoint = `http://127.0.0.1:${app.port}/api/messages`;
    await app.repositories.people.grant(`teams:${FACULTY.aad}`, { role: "faculty" }, "test");
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
    await db.dispose();
  });
  beforeEach(() => connector.clear());

  const caseLookup = (from: Person) => messageActivity(connector.url, from, dm(from), "case BN-B-SAA");

  it("refuses a request that came through a proxy on this machine", async () => {
    const proxied: Array<Record<string, string>> = [
      { "x-forwarded-for": "203.0.113.9" },
      { forwarded: "for=203.0.113.9" },
      { via: "1.1 nginx" },
    ];
    for (const header of proxied) {
      expect((await postActivity(endpoint, caseLookup(FACULTY), header)).status).toBe(401);
    }
    expect(connector.calls).toEqual([]);
  });

  it("listens on loopback only: the machine's other addresses refuse the connection", async () => {
    expect((app.server.address() as AddressInfo).address).toBe("127.0.0.1");
    for (const address of externalAddresses()) {
      const attempt = postRaw({ address, port: app.port }, caseLookup(FACULTY), { host: `localhost:${app.port}` });
      await expect(attempt).rejects.toMatchObject({ code: "ECONNREFUSED" });
    }
  });

  it("refuses a Host or Origin that does not name this server on its port (DNS rebinding, other pages, forwarders)", async () => {
    const here = { address: "127.0.0.1", port: app.port };
    const local = `localhost:${app.port}`;
    const refused: Array<Record<string, string>> = [
      // A page at evil.example whose name was rebound to 127.0.0.1.
      { host: `evil.example:${app.port}` },
      { host: `localhost.evil.example:${app.port}` },
      { host: `127.0.0.1.nip.io:${app.port}` },
      // Addressed to another port: what a client of a forwarder (ssh -R, socat) on port +1 sends.
      { host: `localhost:${app.port + 1}` },
      { host: "localhost" },
      // A browser page of another site, or of another server on this machine, or a sandboxed frame.
      { host: local, origin: "http://evil.example" },
      { host: local, origin: "http://localhost:56150" },
      { host: local, origin: `https://localhost:${app.port}` },
      { host: local, origin: "null" },
    ];
    for (const headers of refused) {
      const response = await postRaw(here, caseLookup(FACULTY), headers);
      expect([headers, response.status]).toEqual([headers, 403]);
      expect(response.text).toBe('{"error":"forbidden"}');
    }
    expect(connector.calls).toEqual([]);
    for (const host of [local, `127.0.0.1:${app.port}`, `[::1]:${app.port}`, `LOCALHOST:${app.port}`]) {
      const response = await postRaw(here, messageActivity(connector.url, FACULTY, dm(FACULTY), "help"), {
        host,
        origin: `http://${host.toLowerCase()}`,
      });
      expect([host, response.status]).toEqual([host, 200]);
    }
  });

  it("refuses a plain TCP forwarder's clients, who address the forwarder", async () => {
    // What `socat TCP-LISTEN:…,fork TCP:127.0.0.1:<port>` or `ssh -R` does: bytes in, bytes out, from loopback.
    const forwarder = createNetServer((client) => {
      const upstream = connect(app.port, "127.0.0.1");
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
    const port = (forwarder.address() as AddressInfo).port;
    try {
      for (const host of [`localhost:${port}`, `bastion.example.org:${port}`, "bastion.example.org"]) {
        const response = await postRaw({ address: "127.0.0.1", port }, caseLookup(FACULTY), { host });
        expect([host, response.status]).toEqual([host, 403]);
      }
      expect(connector.calls).toEqual([]);
    } finally {
      forwarder.close();
    }
  });

  it("refuses expectReplies, which would hand the answers (a CUI case card) back in the HTTP response", async () => {
    const ask = { ...caseLookup(FACULTY), deliveryMode: "expectReplies" };
    const response = await postActivity(endpoint, ask);
    expect(response.status).toBe(403);
    expect(JSON.stringify(response.body)).toBe('{"error":"forbidden"}');
    // The same question without it is answered through the connector, not in the response.
    const plain = await postActivity(endpoint, caseLookup(FACULTY));
    expect([plain.status, plain.body]).toEqual([200, undefined]);
    const answer = await connector.waitFor((call) => cardText(call.body).includes("BN-B-SAA"), "the case, through the connector");
    expect(cardText(answer.body)).toMatch(/^CUI/);
    expect(connector.calls.filter((call) => cardText(call.body).includes("BN-B-SAA"))).toHaveLength(1);
  });

  it("refuses other Bot Framework channels, users without an AAD id, and foreign connector addresses", async () => {
    const directLine = { ...caseLookup(FACULTY), channelId: "directline" };
    const noAad = { ...caseLookup(FACULTY), from: { id: `29:${FACULTY.aad}`, name: FACULTY.name } };
    const elsewhere = messageActivity("https://attacker.example/", FACULTY, dm(FACULTY), "case BN-B-SAA");
    for (const activity of [directLine, noAad, elsewhere]) expect((await postActivity(endpoint, activity)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connector.calls).toEqual([]);
    // The same lookup, as Teams sends it, is answered.
    expect((await postActivity(endpoint, caseLookup(FACULTY))).status).toBe(200);
    const answer = await connector.waitFor((call) => cardText(call.body).includes("BN-B-SAA"), "the case");
    expect(cardText(answer.body)).toMatch(/^CUI/);
  });

  it("answers the same activity id once per conversation, not once overall", async () => {
    const first = messageActivity(connector.url, FACULTY, dm(FACULTY), "help");
    const other = { ...messageActivity(connector.url, STRANGER, dm(STRANGER), "help"), id: first.id };
    await postActivity(endpoint, first);
    await postActivity(endpoint, other);
    await connector.waitFor((call) => call.conversationId === dm(FACULTY).id, "the first answer");
    await connector.waitFor((call) => call.conversationId === dm(STRANGER).id, "the second answer");
  });

  it("does not let a stranger bring back an old reminder with a forged button", async () => {
    await app.database.prisma.case.upsert({
      where: { id: "GY-D-QQQ" },
      create: { id: "GY-D-QQQ", title: "Radar", status: "OFFERED", type: "FMS", category: "C" },
      update: {},
    });
    await app.database.prisma.milestone.create({ data: { id: "m-sec", caseId: "GY-D-QQQ", type: "OED", dueDate: "2026-06-15" } });
    const row = await app.database.prisma.outbox.create({
      data: {
        kind: "reminder",
        subjectKey: "milestone:m-sec",
        platform: "teams",
        conversationId: "19:x",
        dedupeKey: "sec",
        status: "SENT",
      },
    });
    const value = encodeReminderAction({ milestoneId: "m-sec", reminderId: row.id });
    const response = await postActivity(endpoint, invokeActivity(connector.url, STRANGER, dm(STRANGER), "ma_reminderSnooze", { value }));
    expect(cardText(response.body.value)).toMatch(/not found, or you do not have access/);
    expect(await app.database.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "SENT", snoozes: 0 });
  });
});

describe("Teams without credentials outside local mode", () => {
  it("is not served at all (404) in a Slack deployment, or with TEAMS_LOCAL=0", async () => {
    for (const env of [
      { SLACK_BOT_TOKEN: "xoxb-t", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: "http://127.0.0.1:9/api/" },
      { TEAMS_LOCAL: "0" },
    ]) {
      const db = await database.create({ migrate: false });
      const app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ...env }), createLogger("silent"), { reminders: false });
      try {
        const response = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ type: "message" }),
        });
        expect(response.status).toBe(404);
      } finally {
        await app.close();
        await db.dispose();
      }
    }
  });
});

describe("Local Teams beside Slack on one port (TEAMS_LOCAL=1 with Slack configured)", () => {
  it("listens on every interface for Slack, and local Teams still answers only this machine by a local name", async () => {
    const db = await database.create({ migrate: false });
    const connector = await new BotConnectorStandIn().start();
    const env = {
      SLACK_BOT_TOKEN: "xoxb-t",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      TEAMS_LOCAL: "1",
    };
    const app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ...env }), createLogger("silent"), { reminders: false });
    try {
      expect((app.server.address() as AddressInfo).address).toBe("0.0.0.0");
      const activity = messageActivity(connector.url, FACULTY, dm(FACULTY), "help");
      for (const address of externalAddresses()) {
        // From the network, even naming the server as if local: refused before anything is read.
        const response = await postRaw({ address, port: app.port }, activity, { host: `localhost:${app.port}` });
        expect(response.status).toBe(401);
      }
      expect(
        (await postRaw({ address: "127.0.0.1", port: app.port }, activity, { host: `mission-assist.example.org:${app.port}` })).status,
      ).toBe(403);
      expect(connector.calls).toEqual([]);
      expect((await postRaw({ address: "127.0.0.1", port: app.port }, activity, { host: `localhost:${app.port}` })).status).toBe(200);
      await connector.waitFor((call) => call.conversationId === dm(FACULTY).id, "the help answer");
    } finally {
      await app.close();
      await connector.stop();
      await db.dispose();
    }
  });
});

describe("refusalOf with Bot Framework credentials", () => {
  const policy: ActivityPolicy = { mode: "bot-framework", cloud: "public", allowedTenants: ["tenant-ok"] };
  const activity = (overrides: Record<string, unknown> = {}) => ({
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/amer/",
    from: { id: "29:x", aadObjectId: "aad-1" },
    conversation: { id: "a:1", tenantId: "tenant-ok" },
    ...overrides,
  });

  it("lets through Teams from an allowed tenant through its cloud's connector", () => {
    expect(refusalOf(policy, activity() as never)).toBeUndefined();
  });

  it("refuses other tenants, the Playground's user, and connectors of another cloud or over http", () => {
    expect(refusalOf(policy, activity({ conversation: { id: "a:1", tenantId: "tenant-evil" } }) as never)).toBe("tenant not allowed");
    expect(refusalOf(policy, activity({ from: { id: "29:x", aadObjectId: PLAYGROUND_USER } }) as never)).toMatch(/local mode only/);
    for (const serviceUrl of [
      "https://smba.infra.dod.teams.microsoft.us/",
      "http://smba.trafficmanager.net/",
      "https://evil.botframework.com.example/",
    ]) {
      expect(refusalOf(policy, activity({ serviceUrl }) as never)).toBe("Bot Connector address not allowed");
    }
    expect(
      refusalOf({ ...policy, cloud: "usgov-dod" }, activity({ serviceUrl: "https://smba.infra.dod.teams.microsoft.us/" }) as never),
    ).toBeUndefined();
    expect(refusalOf({ ...policy, allowedTenants: [], tenantId: "tenant-single" }, activity() as never)).toBe("tenant not allowed");
  });
});
