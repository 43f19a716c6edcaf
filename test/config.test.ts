import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe("loadConfig", () => {
  it("fills every default from the contract", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: "file:./data/mission-assist.db",
      PORT: 3978,
      SLACK_API_URL: "https://slack.com/api/",
      REMINDER_CRON: "*/15 * * * *",
      REMINDER_TIMEZONE: "America/New_York",
      REMINDER_OFFSETS_DAYS: [14, 7, 1, 0, -1],
      LOG_LEVEL: "info",
      ADMIN_USERS: [],
      TRIAGE_SLA_DAYS: 2,
      ANSWER_SLA_DAYS: 5,
      SCHEDULE_SLA_DAYS: 10,
      DIGEST_TIME: "08:30",
    });
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, /^Configuration error: DATABASE_URL unsupported scheme/],
    [{ PORT: "99999" }, /^Configuration error: PORT must be a port number/],
    [{ REMINDER_CRON: "every day" }, /^Configuration error: REMINDER_CRON is not a valid cron expression/],
    [{ REMINDER_TIMEZONE: "Mars/Olympus" }, /^Configuration error: REMINDER_TIMEZONE is not an IANA time zone/],
    [{ REMINDER_OFFSETS_DAYS: "14,a" }, /^Configuration error: REMINDER_OFFSETS_DAYS must be whole numbers/],
    [{ ADMIN_USERS: "slack:U1,bob" }, /^Configuration error: ADMIN_USERS each entry must look like/],
    [{ LOG_LEVEL: "loud" }, /^Configuration error: LOG_LEVEL must be one of/],
    [{ MA_CONTACT_EMAIL: "nobody" }, /^Configuration error: MA_CONTACT_EMAIL must be an e-mail address/],
    [{ TRIAGE_SLA_DAYS: "0" }, /^Configuration error: TRIAGE_SLA_DAYS must be a whole number of working days from 1 to 60/],
    [{ ANSWER_SLA_DAYS: "2.5" }, /^Configuration error: ANSWER_SLA_DAYS must be a whole number of working days/],
    [{ DIGEST_TIME: "8:30am" }, /^Configuration error: DIGEST_TIME must be a time of day as HH:MM/],
    [{ SLACK_BOT_TOKEN: "xoxb-secret-value" }, /SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN must be set together/],
    [{ MICROSOFT_APP_ID: "id", MICROSOFT_APP_PASSWORD: "pw", MICROSOFT_APP_TYPE: "SingleTenant" }, /MICROSOFT_APP_TENANT_ID is required/],
  ])("refuses %j with one clear line", (env, message) => {
    const text = errorOf(env);
    expect(text).toMatch(message);
    expect(text.split("\n")).toHaveLength(1);
  });

  it("never repeats a secret value in its message", () => {
    const text = errorOf({ SLACK_BOT_TOKEN: "xoxb-secret-value", MICROSOFT_APP_ID: "app", MICROSOFT_APP_PASSWORD: "hunter2" });
    expect(text).not.toContain("xoxb-secret-value");
    expect(text).not.toContain("hunter2");
  });

  it("parses lists and sorts reminder offsets", () => {
    const config = loadConfig({ ADMIN_USERS: " slack:U1 , teams:abc-123 ", REMINDER_OFFSETS_DAYS: "0,7,-2,7" });
    expect(config.ADMIN_USERS).toEqual(["slack:U1", "teams:abc-123"]);
    expect(config.REMINDER_OFFSETS_DAYS).toEqual([7, 0, -2]);
  });
});
