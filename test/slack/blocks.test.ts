import { describe, expect, it } from "vitest";
import { userText } from "../../src/chat/inert.js";
import { requesterCardView, triageCardView } from "../../src/chat/present.js";
import { renderMessage, slackText } from "../../src/slack/blocks.js";
import { SMUGGLED, smuggledRequest } from "../helpers/smuggled.js";

/** Every mrkdwn string in a message, and its top-level text: what Slack parses. */
function parsedStrings(message: ReturnType<typeof renderMessage>): string[] {
  const found: string[] = [message.text];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const element = node as { type?: string; text?: unknown; verbatim?: boolean };
    if (element.type === "mrkdwn" && typeof element.text === "string") {
      expect(element.verbatim).toBe(true);
      found.push(element.text);
    }
    Object.values(node).forEach(walk);
  };
  walk(message.blocks);
  return found;
}

describe("Slack rendering of user text", () => {
  it("escapes mentions, broadcasts and links everywhere, the notification text included", () => {
    const request = smuggledRequest();
    for (const view of [
      triageCardView(request, "UTC", `Asked by ${request.requester.displayName}`),
      requesterCardView(request, "Heading", [], "UTC"),
    ]) {
      const message = renderMessage(view);
      for (const text of parsedStrings(message)) {
        expect(text).not.toMatch(/<[!@#]|<https?:/);
        expect(text).not.toMatch(/[\uE000\uE001]/);
      }
    }
    expect(renderMessage(triageCardView(request, "UTC")).text).toContain("&lt;!channel&gt;");
  });

  it("keeps our own bold but turns a user's emphasis marks into look-alikes", () => {
    expect(slackText(`*Program* ${userText("*free* ~gift~ `code` _it_ snake_case")}`)).toBe(
      "*Program* ∗free∗ ∼gift∼ ˋcodeˋ ＿it＿ snake_case",
    );
    expect(slackText("IA&E <tag>")).toBe("IA&amp;E &lt;tag&gt;");
  });

  it("shows what was typed, readable", () => {
    const text = renderMessage(triageCardView(smuggledRequest(), "UTC"))
      .blocks.map((block) => JSON.stringify(block))
      .join(" ");
    for (const payload of SMUGGLED)
      expect(text).toContain(JSON.stringify(payload.replace(/</g, "&lt;").replace(/>/g, "&gt;")).slice(1, -1));
  });
});
