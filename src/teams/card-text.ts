import { plainText, segments, userText } from "../chat/inert.js";
import { CARD_VERSION } from "./ids.js";

/**
 * The pieces every Adaptive Card is built from: text as runs (never parsed as markdown),
 * headings screen readers announce as headings, and the card envelope.
 */

// biome-ignore lint/suspicious/noExplicitAny: Adaptive Card JSON.
export type CardElement = Record<string, any>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  /** What a voice assistant or screen reader says for the card as a whole. */
  speak?: string;
  body: CardElement[];
  actions?: CardElement[];
}

/**
 * One line of view text as text runs. Card markdown would turn user text into links,
 * images and emphasis, and TextRun text is never parsed as markdown: so every line is a
 * RichTextBlock whose runs carry our own *bold* and `code` as run styles, and user spans
 * (marked by the views) literally.
 */
function runs(line: string, style: CardElement = {}): CardElement[] {
  const out: CardElement[] = [];
  let bold = false;
  let code = false;
  for (const segment of segments(line)) {
    if (segment.user) {
      out.push({ type: "TextRun", text: segment.text, ...style, ...(bold ? { weight: "Bolder" } : {}) });
      continue;
    }
    // Our markup: * toggles bold, ` toggles monospace; the text between is one run.
    for (const piece of segment.text.split(/([*`])/)) {
      if (piece === "*") bold = !bold;
      else if (piece === "`") code = !code;
      else if (piece !== "")
        out.push({
          type: "TextRun",
          text: piece,
          ...style,
          ...(bold ? { weight: "Bolder" } : {}),
          ...(code ? { fontType: "Monospace" } : {}),
        });
    }
  }
  return out;
}

export function richText(line: string, style: CardElement = {}, extra: CardElement = {}): CardElement {
  return { type: "RichTextBlock", inlines: runs(line, style), ...extra };
}

/** Our own words only, as a TextBlock may show them: no markup characters of ours left in. */
const ownWords = (text: string) => text.replace(/[*`]/g, "").trim();

/**
 * A heading screen readers announce as one (`style: "heading"`, Adaptive Cards 1.5). Only a
 * TextBlock can be a heading and TextBlock text is parsed as markdown, so it carries our
 * words only: a title with user text ("MA-2026-0007 · <organization> — <program>") is our
 * leading part as the heading and the rest, user text included, as runs beneath it.
 */
export function heading(text: string, size: "Large" | "Medium" = "Large"): CardElement[] {
  const parts = segments(text);
  const firstUser = parts.findIndex((segment) => segment.user);
  if (firstUser === -1)
    return [{ type: "TextBlock", text: ownWords(plainText(text)), style: "heading", size, weight: "Bolder", wrap: true }];
  const lead = ownWords(
    parts
      .slice(0, firstUser)
      .map((segment) => segment.text)
      .join(""),
  ).replace(/[\s·:—-]+$/, "");
  // The rest keeps its user spans marked, so they stay literal runs.
  const rest = parts
    .slice(firstUser)
    .map((segment) => (segment.user ? userText(segment.text) : segment.text))
    .join("");
  if (lead === "") return [richText(text, { size, weight: "Bolder" })];
  return [
    { type: "TextBlock", text: lead, style: "heading", size, weight: "Bolder", wrap: true },
    richText(rest, { size: "Medium", weight: "Bolder" }, { spacing: "None" }),
  ];
}

export function card(body: CardElement[], actions?: CardElement[], speak?: string): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    ...(speak ? { speak: plainText(speak) } : {}),
    body,
    ...(actions ? { actions } : {}),
  };
}
