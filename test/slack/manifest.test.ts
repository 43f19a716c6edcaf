import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { moveFormView, requestFormView } from "../../src/chat/forms.js";
import { triageCardView } from "../../src/chat/present.js";
import { surveyFormView } from "../../src/chat/present-feedback.js";
import { FORM_IDS, type MoveFormId } from "../../src/chat/views.js";
import { renderMessage, renderModal } from "../../src/slack/blocks.js";
import {
  ACTION_ID_LIST,
  actionFromId,
  BOT_EVENTS,
  BOT_SCOPE_REASONS,
  BOT_SCOPES,
  CALLBACK_ID_LIST,
  callbackIdOf,
  EVENTS_PATH,
  formFromCallbackId,
  SLASH_COMMAND,
} from "../../src/slack/ids.js";

const manifest = JSON.parse(await readFile(new URL("../../manifests/slack/manifest.json", import.meta.url), "utf8"));

describe("Slack manifest", () => {
  it("declares the /ma command, events and interactivity on the events route", () => {
    expect(manifest.features.slash_commands.map((command: { command: string }) => command.command)).toEqual([SLASH_COMMAND]);
    const urls = [
      manifest.features.slash_commands[0].url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("subscribes to the events the code listens for, and asks for the scopes it uses", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("asks for what the doctor's own calls need, and the README says why for each scope", async () => {
    // conversations.info (the triage channel membership check) needs channels:read / groups:read.
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["channels:read", "groups:read"]));
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    for (const scope of BOT_SCOPES) expect(readme).toContain(`| \`${scope}\` | ${BOT_SCOPE_REASONS[scope]} |`);
  });
});

describe("Slack ids", () => {
  it("round-trip every form callback id and action id", () => {
    for (const id of FORM_IDS) expect(formFromCallbackId(callbackIdOf(id))).toBe(id);
    expect(new Set(CALLBACK_ID_LIST).size).toBe(FORM_IDS.length);
    for (const actionId of ACTION_ID_LIST) expect(actionFromId(actionId)).toBeDefined();
  });

  it("renders only ids the code knows, within Slack's limits", () => {
    const request = {
      id: "r1",
      number: "MA-2026-0001",
      status: "SUBMITTED",
      version: 1,
      requester: { id: "p1", displayName: "Jordan <!channel>", identityKeys: ["slack:U1"] },
      form: {
        organization: "PEO",
        component: "ARMY",
        program: "Program",
        effortTypes: ["FMS"],
        supportType: "ADVISORY",
        lifecyclePhase: "LOR",
        relatedCases: [],
        problemStatement: "p".repeat(3000),
        desiredOutcome: "",
        audienceSize: 3,
        preferredStart: "2026-04-01",
        preferredEnd: "2026-04-02",
        deliveryMode: "VIRTUAL",
        location: "",
        travelFunded: false,
        pocName: "Pat",
        pocEmail: "p@x.mil",
      },
      eligibilityCheck: false,
      statusSince: new Date("2026-03-01T00:00:00Z"),
      createdAt: new Date("2026-03-01T00:00:00Z"),
      updatedAt: new Date("2026-03-01T00:00:00Z"),
    } as const;
    const card = renderMessage(triageCardView(request as never, "UTC"));
    const buttons = card.blocks.flatMap((block) => block.elements ?? []).filter((element: { type: string }) => element.type === "button");
    expect(buttons.map((button: { action_id: string }) => button.action_id)).toEqual(["ma_accept", "ma_askInfo", "ma_decline"]);
    for (const block of card.blocks) if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(card)).not.toContain("<!channel>");
    const moveForms = FORM_IDS.filter((id) => id !== "request" && id !== "survey").map((id) =>
      moveFormView(id as MoveFormId, request as never),
    );
    for (const form of [requestFormView(), surveyFormView(request as never, {}), ...moveForms]) {
      const modal = renderModal(form);
      expect(CALLBACK_ID_LIST).toContain(modal.callback_id);
      expect(modal.title.text.length).toBeLessThanOrEqual(24);
      expect(modal.blocks.length).toBeLessThanOrEqual(100);
    }
  });
});
