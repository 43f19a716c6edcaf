import { describe, expect, it } from "vitest";
import { moveFormView, requestFormView } from "../../src/chat/forms.js";
import { userText } from "../../src/chat/inert.js";
import { noticeView, triageCardView } from "../../src/chat/present.js";
import { CUI_BANNER } from "../../src/chat/present-cases.js";
import { surveyFormView, surveyView } from "../../src/chat/present-feedback.js";
import { FORM_IDS } from "../../src/chat/views.js";
import type { MaRequest } from "../../src/core/model.js";
import { type CardElement, renderCard, renderFormCard } from "../../src/teams/cards.js";
import { SMUGGLED, smuggledRequest } from "../helpers/smuggled.js";

/** Every markdown-parsed string in a card: TextBlock text, fact titles and values. */
function markdownStrings(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(markdownStrings);
  if (!node || typeof node !== "object") return [];
  const element = node as CardElement;
  const own = element.type === "TextBlock" ? [String(element.text)] : element.type === "Fact" ? [element.title, element.value] : [];
  return [...own, ...Object.values(element).flatMap(markdownStrings)];
}

function runsOf(element: CardElement): Array<{ text: string; weight?: string }> {
  return element.inlines as Array<{ text: string; weight?: string }>;
}

describe("renderCard", () => {
  it("leads a CUI view with one bold marking", () => {
    const card = renderCard({
      text: "x",
      marking: "CUI",
      blocks: [
        { type: "context", text: CUI_BANNER },
        { type: "header", text: "BN-D-YAB" },
      ],
    });
    expect(card.body[0]).toMatchObject({ text: CUI_BANNER, weight: "Bolder", color: "Attention" });
    expect(JSON.stringify(card.body).split(CUI_BANNER)).toHaveLength(2);
    const unbannered = renderCard({ text: "x", marking: "CUI", blocks: [{ type: "text", text: "due" }] });
    expect(unbannered.body[0]).toMatchObject({ text: CUI_BANNER, weight: "Bolder" });
  });

  it("keeps line breaks as separate blocks and turns *bold* into bold runs", () => {
    const card = renderCard({ text: "x", blocks: [{ type: "text", text: "*History*\nline one\nline two" }] });
    expect(
      card.body.map((element) =>
        runsOf(element)
          .map((run) => run.text)
          .join(""),
      ),
    ).toEqual(["History", "line one", "line two"]);
    expect(runsOf(card.body[0]!)[0]).toMatchObject({ text: "History", weight: "Bolder" });
    expect(card.body.slice(1).every((element) => element.spacing === "None")).toBe(true);
    expect(renderCard(noticeView("plain")).body).toEqual([{ type: "RichTextBlock", inlines: [{ type: "TextRun", text: "plain" }] }]);
  });

  it("keeps user text inert: links, images, emphasis and mentions are never parsed as card markdown", () => {
    const card = renderCard(triageCardView(smuggledRequest(), "UTC"));
    const json = JSON.stringify(card);
    for (const payload of SMUGGLED) expect(json).toContain(JSON.stringify(payload).slice(1, -1));
    // No string the card parses as markdown carries any of it.
    for (const text of markdownStrings(card)) for (const payload of SMUGGLED) expect(text).not.toContain(payload);
    // A user's *stars* stay characters, not bold.
    const starred = renderCard({ text: "x", blocks: [{ type: "text", text: `*Note* ${userText("*not bold*")}` }] });
    expect(runsOf(starred.body[0]!)).toEqual([
      { type: "TextRun", text: "Note", weight: "Bolder" },
      { type: "TextRun", text: " " },
      { type: "TextRun", text: "*not bold*" },
    ]);
  });

  it("keeps user text inert in form cards too", () => {
    const request = smuggledRequest() as MaRequest;
    const form = renderFormCard({
      id: "accept",
      title: "Accept",
      submitLabel: "Accept",
      intro: `${userText(request.form.program)}`,
      fields: [],
      state: "",
    });
    for (const text of markdownStrings(form)) for (const payload of SMUGGLED) expect(text).not.toContain(payload);
  });

  it("gives every form's Cancel no inputs, so the form's required fields cannot block it", () => {
    const request = smuggledRequest() as MaRequest;
    const forms = FORM_IDS.map((id) =>
      id === "request" ? requestFormView({ editing: request }) : id === "survey" ? surveyFormView(request, {}) : moveFormView(id, request),
    );
    for (const form of forms) {
      const card = renderFormCard(form);
      const cancel = card.actions?.filter((action) => action.title === "Cancel") ?? [];
      expect([form.id, cancel]).toEqual([form.id, [expect.objectContaining({ associatedInputs: "none" })]]);
      // The submit button does send the inputs, and Teams validates them first.
      expect(card.actions?.[0]?.associatedInputs).toBeUndefined();
    }
  });

  it("draws the survey as buttons that say their meaning, then a card with Input.ChoiceSet, Input.Text and a submit", () => {
    const request = smuggledRequest() as MaRequest;
    const survey = renderCard(
      surveyView(request, { requestId: request.id, sentAt: new Date(), expiresOn: "2027-02-03", comment: "" }, false),
    );
    const buttons = JSON.stringify(survey);
    for (const label of ["1 – Poor", "2 – Fair", "3 – Good", "4 – Very good", "5 – Excellent"])
      expect(buttons).toContain(`"title":"${label}"`);
    expect(buttons).toContain('"verb":"ma_surveyRate"');
    const form = renderFormCard(surveyFormView(request, { rating: "4" }));
    const body = form.body as Array<{ type: string; id?: string; value?: string }>;
    expect(body.find((element) => element.id === "rating")).toMatchObject({ type: "Input.ChoiceSet", value: "4" });
    expect(body.find((element) => element.id === "comment")).toMatchObject({ type: "Input.Text" });
    expect(form.actions?.[0]).toMatchObject({ verb: "ma_form_survey", title: "Send" });
  });
});
