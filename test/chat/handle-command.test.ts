import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/chat/commands.js";
import { type ChatContext, type ChatReply, handleCommand } from "../../src/chat/handle-command.js";
import { plainText } from "../../src/chat/inert.js";
import type { MessageView } from "../../src/chat/views.js";
import type { Actor } from "../../src/core/model.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { importCases } from "../../src/db/repositories/case-import.js";
import { actorWith, coreDeps, interactionDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const CHANNEL: ChatContext = {
  platform: "slack",
  conversationId: "C0CHAN",
  isPersonal: false,
  prefix: "/ma ",
  contactEmail: "ma@dau.example",
};

function textOf(view: MessageView): string {
  const text = view.blocks
    .map((block) => {
      if (block.type === "fields") return block.fields.map((field) => `${field.label}: ${field.value}`).join("\n");
      if (block.type === "actions") return block.actions.map((action) => action.label).join(" | ");
      if (block.type === "divider") return "---";
      return block.text;
    })
    .join("\n");
  return plainText(text);
}

function message(reply: ChatReply): { text: string; visibility: string; marking?: string } {
  if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
  return { text: textOf(reply.view), visibility: reply.visibility, marking: reply.view.marking };
}

describe.each(DATABASE_KINDS)("handleCommand on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  let requester: Actor;
  let faculty: Actor;
  let admin: Actor;

  beforeAll(async () => {
    db = await kind.create();
    deps = coreDeps(db.database);
    await importCases(
      db.database,
      [
        {
          id: "BN-D-YAB",
          title: "ATC radar",
          partner: "Bandaria",
          programOffice: "AFLCMC",
          status: "OFFERED",
          type: "FMS",
          category: "C",
          masked: false,
        },
      ],
      false,
    );
    requester = await actorWith(deps, "slack:UREQ", "Jordan Lee");
    faculty = await actorWith(deps, "slack:UFAC", "Dana Ruiz", [{ role: "faculty" }]);
    admin = await actorWith(deps, "slack:UADM", "Alex Kim", [{ role: "admin" }]);
  });
  afterAll(() => db.dispose());

  const run = (actor: Actor, text: string, context = CHANNEL) =>
    handleCommand(interactionDeps(deps), { key: actor.identityKey }, parseCommand(text), context);

  it("answers help privately with the commands, the MA terms, JSTs, training, guidance and the contact", async () => {
    const { text, visibility } = message(await run(requester, "help"));
    expect(visibility).toBe("private");
    for (const part of [
      "/ma new",
      "/ma case BN-D-YAB",
      "space-available",
      "travel and incidental",
      "IA&E",
      "INT 1110",
      "SC-001",
      "SAMM",
      "5132.03",
      "ma@dau.example",
    ]) {
      expect(text).toContain(part);
    }
  });

  it("answers unknown words with help and a suggestion", async () => {
    const { text } = message(await run(requester, "lst"));
    expect(text).toMatch(/Did you mean `\/ma list`\?/);
  });

  it("opens the request form for new", async () => {
    const reply = await run(requester, "new");
    expect(reply.kind).toBe("form");
    if (reply.kind === "form") expect(reply.form.fields.map((field) => field.name)).toContain("problemStatement");
  });

  it("lists my requests and shows one with history", async () => {
    const submitted = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack" });
    const number = submitted.ok ? submitted.request.number : "";
    expect(message(await run(requester, "list")).text).toContain(number);
    const id = submitted.ok ? submitted.request.id : "";
    await moveRequest(deps, { actor: faculty, requestId: id, expectedVersion: 1, move: { kind: "askInfo", question: "Which LOR?" } });
    const shown = message(await run(requester, `show ${number.toLowerCase()}`)).text;
    // History says what happened, in words.
    expect(shown).toMatch(/Jordan Lee submitted the request/);
    expect(shown).toMatch(/Dana Ruiz asked for information: Which LOR\?/);
    expect(shown).toContain("Withdraw");
    // How long it has waited in its current state, against that state's service level.
    expect(shown).toContain("Status: ❓ Needs info since 2026-03-02 12:00 EST (America/New_York)");
    expect(shown).toContain("⏱ Waiting 0 working days in this status (service level: 5)");
    expect(message(await run(requester, "show MA-2026-9999")).text).toMatch(/not found, or you do not have access/);
  });

  it("gives faculty the report for the last 30 days or a period, and refuses it to requesters", async () => {
    const report = message(await run(faculty, "report"));
    expect(report.visibility).toBe("private");
    expect(report.text).toContain("Mission Assistance report, 2026-02-01 to 2026-03-02");
    expect(report.text).toMatch(/Requests filed: [1-9]/);
    // Asked for information, not decided yet: no triage time, and the report says the wait on the requester is left out.
    expect(report.text).toContain("Working days to triage (accept or decline): none yet");
    expect(report.text).toContain("leave out the days spent waiting on the requester's answer");
    const empty = message(await run(faculty, "report 2025-01-01 2025-01-31")).text;
    expect(empty).toContain("Requests filed: 0");
    expect(empty).toContain("Working days to triage (accept or decline): none yet");
    expect(message(await run(faculty, "report last-week")).text).toMatch(/Give the period as dates, YYYY-MM-DD/);
    expect(message(await run(faculty, "report 2026-03-01 2026-02-01")).text).toMatch(/the first not after the second/);
    expect(message(await run(requester, "report")).text).toBe("Only faculty and admins can see the report.");
  });

  it("gives faculty the queue and refuses it to requesters", async () => {
    expect(message(await run(faculty, "queue")).text).toMatch(/Triage queue \(\d+, oldest first\)/);
    expect(message(await run(requester, "queue")).text).toBe("Only faculty can see the triage queue.");
  });

  it("answers a case privately with the CUI marking, and refuses a requester the same way as a missing case", async () => {
    const reply = message(await run(faculty, "case bn-d-yab"));
    expect(reply.visibility).toBe("private");
    expect(reply.marking).toBe("CUI");
    expect(reply.text.startsWith("CUI")).toBe(true);
    const denied = message(await run(requester, "case BN-D-YAB")).text;
    const missing = message(await run(faculty, "case BN-D-QQQ")).text;
    expect(denied.replace("BN-D-YAB", "X")).toBe(missing.replace("BN-D-QQQ", "X"));
  });

  it("subscribes a channel once, for those allowed", async () => {
    expect(message(await run(faculty, "subscribe BN-D-YAB"))).toMatchObject({
      visibility: "channel",
      text: expect.stringMatching(/will get reminders for BN-D-YAB/),
    });
    expect(message(await run(faculty, "subscribe bn-d-yab")).text).toMatch(/already gets reminders/);
    expect(message(await run(requester, "subscribe BN-D-YAB")).text).toMatch(/not found, or you do not have access/);
    expect(await deps.subscriptions.list({ platform: "slack", conversationId: "C0CHAN" })).toHaveLength(1);
    expect(message(await run(faculty, "subscriptions")).text).toMatch(/This conversation's subscriptions \(1\)\nBN-D-YAB/);
    expect(message(await run(faculty, "unsubscribe BN-D-YAB")).text).toMatch(/no longer get reminders/);
    expect(await deps.subscriptions.list({ platform: "slack", conversationId: "C0CHAN" })).toHaveLength(0);
  });

  it("follows a masked case only in a direct message", async () => {
    await importCases(
      db.database,
      [{ id: "XX-D-AAA", title: "", partner: "", programOffice: "", status: "PRE_OFFER", type: "FMS", category: "", masked: true }],
      false,
    );
    expect(message(await run(faculty, "subscribe XX-D-AAA")).text).toMatch(/masked case: follow it in a direct message/);
    expect(await deps.subscriptions.list({ platform: "slack", conversationId: "C0CHAN" })).toHaveLength(0);
    const direct = { ...CHANNEL, conversationId: "D0FAC", isPersonal: true };
    expect(message(await run(faculty, "subscribe XX-D-AAA", direct)).text).toMatch(/will get reminders for XX-D-AAA/);
  });

  it("lets an admin list every subscription and stop one in another channel, and nobody else", async () => {
    await run(faculty, "subscribe BN-D-YAB", { ...CHANNEL, conversationId: "C0OTHER" });
    expect(message(await run(faculty, "subscriptions all")).text).toMatch(/Only an admin can list every subscription/);
    expect(message(await run(admin, "subscriptions all")).text).toMatch(/BN-D-YAB — slack C0OTHER/);
    expect(message(await run(faculty, "unsubscribe BN-D-YAB in C0OTHER")).text).toMatch(/Only an admin can stop reminders in another/);
    expect(message(await run(admin, "unsubscribe BN-D-YAB in <#C0OTHER|other>")).text).toMatch(/C0OTHER will no longer get reminders/);
    expect(await deps.subscriptions.list({ platform: "slack", conversationId: "C0OTHER" })).toHaveLength(0);
  });

  it("lets only an admin choose the triage channel, and not in a DM", async () => {
    expect(message(await run(faculty, "triage-here")).text).toBe("Only an admin can choose the triage channel.");
    expect(message(await run(admin, "triage-here", { ...CHANNEL, isPersonal: true })).text).toMatch(/not in a direct message/);
    expect(message(await run(admin, "triage-here")).visibility).toBe("channel");
    expect(await deps.settings.get("triage-channel:slack")).toBe("C0CHAN");
  });

  it("lists upcoming items for the asker", async () => {
    expect(message(await run(requester, "upcoming 30")).text).toMatch(/Nothing you can see is due in the next 30 days/);
  });
});
