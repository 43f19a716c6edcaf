import { describe, expect, it } from "vitest";
import { CUI_BANNER, noticeView } from "../../src/chat/present.js";
import { renderCard } from "../../src/teams/cards.js";

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
    expect(card.body.filter((element) => element.text === CUI_BANNER)).toHaveLength(1);
    const unbannered = renderCard({ text: "x", marking: "CUI", blocks: [{ type: "text", text: "due" }] });
    expect(unbannered.body[0]).toMatchObject({ text: CUI_BANNER, weight: "Bolder" });
  });

  it("keeps line breaks as separate text blocks and turns *bold* into card markdown", () => {
    const card = renderCard({ text: "x", blocks: [{ type: "text", text: "*History*\nline one\nline two" }] });
    expect(card.body.map((element) => element.text)).toEqual(["**History**", "line one", "line two"]);
    expect(card.body.slice(1).every((element) => element.spacing === "None")).toBe(true);
    expect(renderCard(noticeView("plain")).body).toEqual([{ type: "TextBlock", text: "plain", wrap: true }]);
  });
});
