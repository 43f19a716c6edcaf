import { segments } from "../chat/inert.js";
import { CUI_BANNER } from "../chat/present-cases.js";
import type { MessageView, ViewBlock } from "../chat/views.js";

/** View text as plain mail text: our *bold* marks dropped, a person's text kept exactly. */
function plain(text: string): string {
  return segments(text)
    .map((segment) => (segment.user ? segment.text : segment.text.replace(/\*([^*\n]+)\*/g, "$1")))
    .join("");
}

function blockText(block: ViewBlock): string | undefined {
  switch (block.type) {
    case "header":
    case "text":
    case "context":
      return plain(block.text);
    case "fields":
      return block.fields.map((field) => `${plain(field.label)}: ${plain(field.value)}`).join("\n");
    case "divider":
      return "—";
    // Buttons have no meaning in a mail: the reply itself is how a requester answers.
    case "actions":
      return undefined;
  }
}

/**
 * A view as the plain-text body of a mail. CUI content carries the banner as its first and
 * last line, as a marked document does.
 */
export function renderMailText(view: MessageView, closing: string): string {
  const blocks = view.blocks.filter((block) => !(block.type === "context" && block.text === CUI_BANNER));
  const body = [...blocks.map(blockText).filter((text): text is string => text !== undefined), closing].join("\n\n");
  return view.marking === "CUI" ? `${CUI_BANNER}\n\n${body}\n\n${CUI_BANNER}\n` : `${body}\n`;
}
