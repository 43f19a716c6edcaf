import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { runCli } from "../helpers/cli.js";
import { actorWith, coreDeps, validForm } from "../helpers/core.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";

const database = END_TO_END_DATABASE;

describe("mission-assist remind --once --now: service levels by time", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await database.create();
    slackApi = await new SlackApiStandIn().start();
    // Filed on Friday 2026-11-20; no triage channel yet, so nobody has seen it.
    const core = coreDeps(db.database, fixedClock("2026-11-20T15:00:00Z"));
    const requester = await actorWith(core, "slack:UREQ", "Jordan Lee");
    const result = await submitRequest(core, {
      actor: requester,
      raw: validForm({ preferredStart: "2027-01-11", preferredEnd: "2027-01-12" }),
      platform: "slack",
    });
    expect(result.ok).toBe(true);
    env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_API_URL: `${slackApi.url}/api/`,
      ADMIN_USERS: "slack:UADM",
    };
  });
  afterAll(async () => {
    await slackApi.stop();
    await db.dispose();
  });

  const adminDms = () => slackApi.callsTo("chat.postMessage").filter((call) => call.body.channel === "UADM");

  it("tells the admins on the fourth working day (Thanksgiving skipped), once", async () => {
    const thursday = await runCli(["remind", "--once", "--now", "2026-11-26T14:00:00Z"], env);
    expect(thursday.stdout).toMatch(/0 service-level nudge\(s\)/);
    expect(adminDms()).toHaveLength(0);
    // A dry run counts the nudge that came due, and owes nobody anything.
    const dry = await runCli(["remind", "--once", "--now", "2026-11-27T14:00:00Z", "--dry-run"], env);
    expect(dry.stdout).toMatch(
      /Dry run: \d+ reminder\(s\), 1 service-level nudge\(s\) and \d+ digest\(s\) came due; nothing stored or sent\./,
    );
    expect(adminDms()).toHaveLength(0);
    const friday = await runCli(["remind", "--once", "--now", "2026-11-27T14:00:00Z"], env);
    expect([friday.code, friday.stderr]).toEqual([0, ""]);
    expect(friday.stdout).toMatch(/1 service-level nudge\(s\)/);
    expect(adminDms()).toHaveLength(1);
    expect(String(adminDms()[0]!.body.text)).toMatch(/MA-2026-0001 has waited 4 working days for triage/);
    await runCli(["remind", "--once", "--now", "2026-11-30T14:00:00Z"], env);
    expect(adminDms()).toHaveLength(1);
  });
});
