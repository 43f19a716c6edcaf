import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/chat/commands.js";
import { type ChatContext, type ChatReply, handleCommand } from "../../src/chat/handle-command.js";
import { plainText } from "../../src/chat/inert.js";
import { buildMoveForm } from "../../src/chat/interactions/move-form.js";
import { parseHumanDate } from "../../src/core/dates.js";
import { leadCandidates } from "../../src/core/faculty/lead-candidates.js";
import { requestTags } from "../../src/core/faculty/skills.js";
import { fillTemplate } from "../../src/core/faculty/templates.js";
import type { Actor, MaRequest } from "../../src/core/model.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { actorWith, coreDeps, interactionDeps, refusal, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const DM: ChatContext = { platform: "slack", conversationId: "D0DM", isPersonal: true, prefix: "/ma " };

function text(reply: ChatReply): string {
  if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
  expect(reply.visibility).toBe("private");
  // Our bold marks are left out: the words are what is tested.
  return plainText(reply.view.blocks.map((block) => ("text" in block ? block.text : "")).join("\n")).replace(/\*/g, "");
}

describe("the workbench grammar", () => {
  it("reads dates as people write them", () => {
    expect(["2027-01-12", "12 Jan 2027", "1/12/2027", "January 12, 2027", "jan. 12 2027"].map(parseHumanDate)).toEqual(
      Array(5).fill("2027-01-12"),
    );
    expect(["2027-02-30", "13/12/2027", "12 Foo 2027", "tomorrow"].map(parseHumanDate)).toEqual(Array(4).fill(undefined));
  });

  it("parses away with a note, a joiner and a backup mention from either platform", () => {
    expect(parseCommand("away 12 Jan 2027 to 1/20/2027 TDY to Bandaria backup <@U0LEE|lee>")).toEqual({
      kind: "away",
      from: "2027-01-12",
      to: "2027-01-20",
      note: "TDY to Bandaria",
      backup: "@U0LEE",
    });
    expect(parseCommand("away 2027-01-12 2027-01-13 backup <at>Lee Park</at>")).toMatchObject({ backup: "@Lee Park", note: "" });
    expect(parseCommand("away off")).toEqual({ kind: "away-off" });
    expect(parseCommand("away soon")).toMatchObject({ kind: "usage", problem: expect.stringContaining('"soon" is not a date') });
  });

  it("keeps a template's text as typed and takes skills as words", () => {
    expect(parseCommand("template add lor Please send the LOR for {id},\nthank you")).toEqual({
      kind: "template-add",
      name: "lor",
      text: "Please send the LOR for {id},\nthank you",
    });
    expect(parseCommand("template remove lor")).toEqual({ kind: "template-remove", name: "lor" });
    expect(parseCommand("skills FMS, LOA pricing")).toEqual({ kind: "skills", tags: ["FMS", "LOA", "pricing"] });
  });
});

describe.each(DATABASE_KINDS)("the faculty workbench on $name", (kind) => {
  let db: TestDatabase;
  let deps: ReturnType<typeof coreDeps>;
  let interaction: ReturnType<typeof interactionDeps>;
  let requester: Actor;
  let dana: Actor;
  let lee: Actor;
  let sam: Actor;
  let request: MaRequest;
  const run = (actor: Actor, words: string) => handleCommand(interaction, { key: actor.identityKey }, parseCommand(words), DM);

  beforeAll(async () => {
    db = await kind.create();
    // Today is 2026-03-02 in New York.
    deps = coreDeps(db.database);
    interaction = interactionDeps(deps);
    requester = await actorWith(deps, "slack:UREQ", "Jordan Lee");
    dana = await actorWith(deps, "slack:UDANA", "Dana Ruiz", [{ role: "faculty" }]);
    lee = await actorWith(deps, "slack:ULEE", "Lee Park", [{ role: "faculty" }]);
    sam = await actorWith(deps, "slack:USAM", "Sam Ortiz", [{ role: "faculty" }]);
    const submitted = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack" });
    if (!submitted.ok) throw new Error("invalid form");
    request = submitted.request;
  });
  afterAll(() => db.dispose());

  it("saves a reply, refuses an unknown variable by name and a taken name, and audits each change", async () => {
    expect(text(await run(dana, "template add lor Please send the LOR for {id} ({title}), {requester}."))).toMatch(/"lor" added/);
    expect(text(await run(dana, "template add bad Hello {name} and {id} and {when}"))).toBe(
      "Unknown variable {name}, {when}. A saved reply may use {id} {title} {requester} {lead} {start}.",
    );
    expect(text(await run(lee, "template add LOR something else"))).toMatch(/already a saved reply named "LOR"/);
    expect(text(await run(lee, "templates"))).toContain("lor — Please send the LOR for {id} ({title}), {requester}.");
    const [template] = await deps.templates.list();
    const filled = await fillTemplate(deps, lee, { templateId: template!.id, requestId: request.id });
    expect(filled.text).toBe(`Please send the LOR for ${request.number} (Night vision devices for Bandaria), Jordan Lee.`);
    await run(dana, "template add gone {lead} will call you");
    expect(text(await run(dana, "template remove GONE"))).toMatch(/removed/);
    expect(text(await run(dana, "template remove gone"))).toMatch(/no saved reply named "gone"/);
    const events = await db.database.prisma.workbenchEvent.findMany({
      where: { action: { startsWith: "template" } },
      orderBy: { at: "asc" },
    });
    expect(events.map((event) => [event.action, event.subject])).toEqual([
      ["template-add", "lor"],
      ["template-add", "gone"],
      ["template-remove", "gone"],
    ]);
  });

  it("refuses requesters: they may not add or see saved replies, and their forms offer none", async () => {
    expect(text(await run(requester, "template add mine hello"))).toBe("Only faculty can use saved replies.");
    expect(text(await run(requester, "templates"))).toBe("Only faculty can use saved replies.");
    expect(await db.database.prisma.replyTemplate.count({ where: { nameKey: "mine" } })).toBe(0);
    await refusal(fillTemplate(deps, requester, { templateId: "x", requestId: request.id }));
    const facultyForm = await buildMoveForm(deps, lee, "askInfo", request);
    expect(facultyForm.fields.map((field) => field.name)).toEqual(["template", "question"]);
  });

  it("merges overlapping periods away, refuses backwards or overlong ones, and ends them with away off", async () => {
    expect(text(await run(lee, "away 2 Mar 2026 2026-03-10 teaching"))).toContain("2 Mar 2026 to 10 Mar 2026 (teaching)");
    const merged = text(await run(lee, "away 3/8/2026 3/20/2026 TDY backup @Sam Ortiz"));
    expect(merged).toContain("2 Mar 2026 to 20 Mar 2026 (teaching; TDY; backup: Sam Ortiz)");
    expect(await deps.availability.listFrom(lee.id, "2026-03-02")).toHaveLength(1);
    expect(text(await run(lee, "away 2026-03-10 2026-03-09"))).toMatch(/is before/);
    expect(text(await run(lee, "away 2026-04-01 2027-04-02"))).toBe("A period away is at most a year.");
    expect(text(await run(requester, "away 2026-04-01 2026-04-02"))).toBe("Only faculty can set when they are away.");
    expect(text(await run(sam, "away 2026-05-01 2026-05-02"))).toMatch(/Noted/);
    expect(text(await run(sam, "away off"))).toMatch(/no longer marked away/);
    expect(await deps.availability.listFrom(sam.id, "2026-03-02")).toEqual([]);
  });

  it("orders the lead picker: available first, then matching skills, then load; never suggests someone away", async () => {
    expect(text(await run(dana, "skills LOA pricing BN IAC"))).toContain("Your skills are now: loa, pricing, bn, iac.");
    expect(text(await run(sam, "skills #FMS bandaria"))).toContain("Your skills are now: fms, bandaria.");
    // Lee (away, above) covers everything: still listed, last, never suggested.
    await run(lee, "skills fms bn b night vision devices");
    expect([...requestTags(request)].sort()).toEqual(["advisory", "b", "bandaria", "bn", "devices", "fms", "night", "vision"]);
    const picker = await leadCandidates(deps, dana, request);
    expect(picker.candidates.map((candidate) => [candidate.person.displayName, candidate.matchingSkills])).toEqual([
      ["Sam Ortiz", ["bandaria", "fms"]],
      ["Dana Ruiz", ["bn"]],
      ["Lee Park", ["b", "bn", "devices", "fms", "night", "vision"]],
    ]);
    expect(picker.suggested?.displayName).toBe("Sam Ortiz");
    const form = await buildMoveForm(deps, dana, "accept", request);
    const [lead] = form.fields;
    expect(lead?.value).toBe(sam.id);
    expect(lead?.options?.map((option) => option.label)).toEqual([
      "Sam Ortiz · 2 matching skills · 0 open",
      "Dana Ruiz · 1 matching skill · 0 open",
      "Lee Park · away until 20 Mar 2026 · 6 matching skills · 0 open",
    ]);
  });

  it("shows home: away status for faculty, nothing of it for requesters", async () => {
    const home = text(await run(lee, "home"));
    expect(home).toContain("You are away 2 Mar 2026 to 20 Mar 2026");
    expect(home).toContain("nudges about your requests go to Sam Ortiz");
    expect(home).toContain("Triage queue (1");
    const mine = text(await run(requester, "home"));
    expect(mine).toContain(request.number);
    expect(mine).not.toContain("Triage queue");
    expect(mine).toContain("Sessions ahead (0)");
  });
});
