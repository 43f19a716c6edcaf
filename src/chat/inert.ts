/**
 * User-typed text (and imported case text) must stay inert on every surface: no
 * mentions, links or markup smuggled into a card. Views mark such text with `userText`,
 * and each renderer escapes the marked spans its own way (Slack: entities and
 * look-alikes; Teams: text runs, which card markdown never parses).
 */

const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARKS = /[\uE000\uE001]/g;

/** Marks text that came from a person, not from us. */
export function userText(text: string | number | undefined | null): string {
  return `${OPEN}${String(text ?? "").replace(MARKS, "")}${CLOSE}`;
}

export interface Segment {
  text: string;
  /** True for user text: render it literally. */
  user: boolean;
}

/** Splits view text into our markup and user spans, in order. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf(OPEN);
    if (start === -1) {
      out.push({ text: rest, user: false });
      break;
    }
    if (start > 0) out.push({ text: rest.slice(0, start), user: false });
    const end = rest.indexOf(CLOSE, start);
    const stop = end === -1 ? rest.length : end;
    out.push({ text: rest.slice(start + 1, stop), user: true });
    rest = end === -1 ? "" : rest.slice(end + 1);
  }
  return out.filter((segment) => segment.text !== "");
}

/** The text with the marks removed: for logs, plain fallbacks and tests. */
export function plainText(text: string): string {
  return text.replace(MARKS, "");
}
