import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { systemClock } from "../../src/core/clock.js";
import { createPrismaRepositories, type Repositories } from "../../src/db/repositories/index.js";
import { formatCheck } from "../../src/doctor/checks.js";
import { runDoctor } from "../../src/doctor/run.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";

const database = END_TO_END_DATABASE;

/** The Microsoft login endpoint on loopback: records token requests, answers as told. */
class LoginStandIn {
  readonly requests: Array<{ path: string; form: Record<string, string> }> = [];
  answer: { status: number; body: object } = { status: 200, body: { access_token: "token", expires_in: 3600 } };
  hanging = false;
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    const app = express();
    app.post("/:tenant/oauth2/v2.0/token", express.urlencoded({ extended: false }), (req, res) => {
      this.requests.push({ path: req.path, form: req.body });
      if (this.hanging) return;
      res.status(this.answer.status).json(this.answer.body);
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    const address = this.server?.address();
    this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe("the doctor's Teams checks", () => {
  let db: TestDatabase;
  let login: LoginStandIn;
  let repositories: Repositories;

  beforeAll(async () => {
    db = await database.create();
    login = await new LoginStandIn().start();
    repositories = createPrismaRepositories(db.database);
  });
  afterAll(async () => {
    await login.stop();
    await db.dispose();
  });
  beforeEach(() => {
    login.answer = { status: 200, body: { access_token: "token", expires_in: 3600 } };
    login.hanging = false;
  });

  const doctor = async (env: Record<string, string> = {}) => {
    const config = loadConfig({
      DATABASE_URL: db.url,
      MICROSOFT_APP_ID: "app-id",
      MICROSOFT_APP_PASSWORD: "the-secret",
      MICROSOFT_ALLOWED_TENANTS: "tenant-a",
      ...env,
    });
    const checks = await runDoctor({
      config,
      database: db.database,
      core: { ...repositories, clock: systemClock },
      conversations: repositories.conversations,
      teamsLoginHost: login.url,
    });
    return checks.map(formatCheck);
  };

  it("gets a token for the app from the cloud's login endpoint, and finds the triage channel's reference", async () => {
    await repositories.settings.set("triage-channel:teams", "19:faculty@thread.tacv2");
    await repositories.conversations.save({
      platform: "teams",
      conversationId: "19:faculty@thread.tacv2",
      kind: "channel",
      reference: "{}",
    });
    const lines = await doctor({ MICROSOFT_CLOUD: "usgov" });
    expect(lines).toContain(`✓ Teams token: obtained for app app-id from ${login.url} (usgov cloud)`);
    expect(lines).toContain("✓ Teams triage channel: conversation reference stored for 19:faculty@thread.tacv2");
    const request = login.requests.at(-1)!;
    expect(request.path).toBe("/MicrosoftServices.onmicrosoft.us/oauth2/v2.0/token");
    expect(request.form).toMatchObject({
      grant_type: "client_credentials",
      client_id: "app-id",
      client_secret: "the-secret",
      scope: "https://api.botframework.us/.default",
    });
  });

  it("names MICROSOFT_APP_PASSWORD when the login endpoint refuses the secret, without echoing it", async () => {
    login.answer = {
      status: 401,
      body: { error: "invalid_client", error_description: "AADSTS7000222: The provided client secret keys for app 'app-id' are expired." },
    };
    const lines = await doctor({ MICROSOFT_APP_TENANT_ID: "tenant-a" });
    const token = lines.find((line) => line.includes("Teams token"))!;
    expect(token).toMatch(
      /^✗ Teams token: .* refused MICROSOFT_APP_PASSWORD \(invalid_client, AADSTS7000222\) — create a new client secret/,
    );
    expect(token).not.toContain("the-secret");
    expect(login.requests.at(-1)!.path).toBe("/tenant-a/oauth2/v2.0/token");
  });

  it("names MICROSOFT_APP_ID when the app is unknown, and says when the bot was removed from the triage channel", async () => {
    login.answer = { status: 400, body: { error: "unauthorized_client", error_description: "AADSTS700016: Application not found" } };
    await repositories.conversations.markDead("teams", "19:faculty@thread.tacv2");
    const lines = await doctor();
    expect(lines.find((line) => line.includes("Teams token"))).toMatch(/refused MICROSOFT_APP_ID/);
    expect(lines).toContain(
      "✗ Teams triage channel: the bot was removed from 19:faculty@thread.tacv2 — add the app to the team again, then type `@Mission Assist triage-here` in the channel",
    );
  });

  it("gives up on a login endpoint that never answers", async () => {
    login.hanging = true;
    const lines = await doctor();
    expect(lines.find((line) => line.includes("Teams token"))).toMatch(/^✗ Teams token: the login endpoint .* did not answer within 5 s/);
  }, 15_000);
});
