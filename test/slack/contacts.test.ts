import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { createLogger } from "../../src/logger.js";
import { createSlackContacts, PROFILE_TTL_MS } from "../../src/slack/contacts.js";
import { type SlackApi, SlackCallError } from "../../src/slack/web-api.js";
import { coreDeps, TEST_NOW } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("Slack profile reads (users.info) on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  const clock = fixedClock(TEST_NOW);

  beforeAll(async () => {
    db = await kind.create();
    deps = coreDeps(db.database, clock);
  });
  afterAll(() => db.dispose());

  function setUp(answer: (method: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>) {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
    const calls: string[] = [];
    const api: SlackApi = {
      call: async (method, body) => {
        calls.push(method);
        return { ok: true, ...(await answer(method, body as Record<string, unknown>)) };
      },
    };
    return { contacts: createSlackContacts({ api, people: deps.people, clock, log }), lines, calls };
  }

  it("stores the zone once and reads the profile again only after a week", async () => {
    let tz = "America/Denver";
    const { contacts, calls } = setUp(async () => ({ user: { id: "UPROF001", tz, profile: {} } }));
    const identity = { key: "slack:UPROF001", displayName: "Lee" };
    await contacts.refresh(identity, "UPROF001");
    await contacts.refresh(identity, "UPROF001");
    expect(calls).toEqual(["users.info"]);
    expect((await deps.people.resolve(identity)).timeZone).toBe("America/Denver");
    tz = "America/Phoenix";
    clock.advance(PROFILE_TTL_MS + 1);
    await contacts.refresh(identity, "UPROF001");
    expect(calls).toEqual(["users.info", "users.info"]);
    expect((await deps.people.resolve(identity)).timeZone).toBe("America/Phoenix");
  });

  it("never throws on a Slack fault: one warning line, no token, and no second call within the hour", async () => {
    const { contacts, lines, calls } = setUp(async () => {
      throw new SlackCallError(webApi.ErrorCode.PlatformError, "users.info: missing_scope", {
        data: { ok: false, error: "missing_scope" },
      });
    });
    const identity = { key: "slack:UPROF002", displayName: "Kim" };
    await expect(contacts.refresh(identity, "UPROF002")).resolves.toBeUndefined();
    await contacts.refresh(identity, "UPROF002");
    expect(calls).toEqual(["users.info"]);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/users\.info\) not read; this person's dates stay in REMINDER_TIMEZONE/);
    expect(JSON.stringify(warnings[0])).toContain("missing_scope");
    expect((await deps.people.resolve(identity)).timeZone).toBeUndefined();
  });

  it("ignores a zone Slack sends that this system does not know, and a bot user's address", async () => {
    await deps.people.resolve({ key: "email:bot@example.com", displayName: "Bot mail" });
    const { contacts } = setUp(async () => ({
      user: { id: "UPROF003", tz: "Nowhere/Land", is_bot: true, profile: { email: "bot@example.com" } },
    }));
    const identity = { key: "slack:UPROF003", displayName: "A bot" };
    await contacts.refresh(identity, "UPROF003");
    const actor = await deps.people.resolve(identity);
    expect(actor.timeZone).toBeUndefined();
    expect(actor.identityKeys).toEqual(["slack:UPROF003"]);
  });
});
