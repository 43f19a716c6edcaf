import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareContext, type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const database = END_TO_END_DATABASE;

/** Attacks from the security review, each through real Bolt over HTTP: none gets anything. */
describe("Slack security", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let evil: Server;
  let evilUrl: string;
  const evilCalls: string[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    evil = createServer((req, res) => {
      evilCalls.push(req.url ?? "");
      res.end("{}");
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", () => resolve()));
    const address = evil.address();
    evilUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const logger = createLogger("debug", { write: (line: string) => logLines.push(line) });
    app = await startApp(loadConfig(slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: "C0TRIAGE", LOG_LEVEL: "debug" })), logger);
    events = `http://127.0.0.1:${app.port}/slack/events`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => evil.close(() => resolve()));
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => slackApi.clear());

  const submit = async (userId: string, viewId: string, values = slackFormValues()) => {
    const payload = viewSubmission({ userId, callbackId: callbackIdOf("request"), viewId, state: stateValues(requestFormView(), values) });
    const from = slackApi.calls.length;
    const response = await postSigned(events, payloadBody(payload));
    return slackApi.finalModal((await response.json()) as { view: { blocks: unknown[] } }, viewId, from);
  };
  const numberIn = (answer: { view: { blocks: unknown[] } }) => /MA-\d{4}-\d{4}/.exec(JSON.stringify(answer.view.blocks))?.[0];

  it("never returns another person's request for a reused submission key", async () => {
    const mine = numberIn(await submit("UALICE", "VSHARED"));
    const theirs = numberIn(await submit("UMALLORY", "VSHARED"));
    expect(mine).toBeDefined();
    expect(theirs).toBeDefined();
    expect(theirs).not.toBe(mine);
    // The same person's retry still returns the first request.
    expect(numberIn(await submit("UALICE", "VSHARED"))).toBe(mine);
  });

  it("follows a response_url only on Slack's hosts (or SLACK_API_URL's): anything else gets a DM instead", async () => {
    const response = await postSigned(events, slashCommandBody({ text: "list", userId: "UALICE", responseUrl: `${evilUrl}/steal` }));
    expect(response.status).toBe(200);
    await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === "UALICE", "the DM");
    expect(evilCalls).toEqual([]);
  });

  it("answers 100,000 characters of nested mention openers with help, at once", async () => {
    const text = "<@A|".repeat(25_000);
    await postSigned(events, slashCommandBody({ text, userId: "UALICE", responseUrl: `${slackApi.url}/response/long` }));
    const answer = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "long", "the help");
    expect(String(answer.body.text)).toMatch(/I don't know/);
  });

  it("writes no form contents, e-mail or token to the logs, even at debug", async () => {
    const values = { ...slackFormValues(), program: "Secret radar program ZX-41", pocEmail: "pat.secret@army.mil" };
    await submit("UALICE", "VLOGS", values);
    await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === "C0TRIAGE", "the triage card");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logs = logLines.join("\n");
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of ["Secret radar program", "pat.secret@army.mil", String(slackFormValues().problemStatement), "xoxb-test-token"]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe("ADMIN_USERS", () => {
  it("revokes the admin it granted once the identity is taken off the list, and only that", async () => {
    const db = await database.create();
    const logger = createLogger("silent");
    const start = async (admins: string) => {
      const context = await prepareContext(loadConfig({ DATABASE_URL: db.url, ADMIN_USERS: admins }), logger);
      const roles = async (key: string) => (await context.repositories.people.resolve({ key })).roles.map((role) => role.role);
      return { context, roles };
    };
    try {
      const first = await start("slack:UADMIN1,slack:UADMIN2");
      await first.context.repositories.people.grant("slack:UCLI", { role: "admin" }, "cli");
      expect(await first.roles("slack:UADMIN2")).toEqual(["admin"]);
      await first.context.database.close();
      const second = await start("slack:UADMIN1");
      expect(await second.roles("slack:UADMIN1")).toEqual(["admin"]);
      expect(await second.roles("slack:UADMIN2")).toEqual([]);
      // A grant made by hand (roles grant) is not ADMIN_USERS' to take back.
      expect(await second.roles("slack:UCLI")).toEqual(["admin"]);
      await second.context.database.close();
    } finally {
      await db.dispose();
    }
  });
});

describe("a SQLite file in a folder that does not exist yet", () => {
  it("makes the folder and says so in the start log", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const root = await mkdtemp(path.join(tmpdir(), "ma-folder-"));
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => lines.push(line) });
    const context = await prepareContext(loadConfig({ DATABASE_URL: `file:${root}/new/sub/bot.db` }), logger);
    try {
      expect(lines.map((line) => JSON.parse(line))).toContainEqual(
        expect.objectContaining({ msg: "created the database folder", folder: `${root}/new` }),
      );
    } finally {
      await context.database.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
