import { convert } from "html-to-text";
import { type AddressObject, type HeaderValue, simpleParser } from "mailparser";

/** A mail as the bridge reads it: who, what about, what it answers, and its cleaned text. */
export interface InboundMail {
  /** With angle brackets; a mail without one gets an id made from its content. */
  messageId: string;
  /** Lower case. */
  from: string;
  fromName: string;
  subject: string;
  /** The ids this mail answers (In-Reply-To first, then References, newest first). */
  answers: string[];
  autoSubmitted?: string;
  precedence?: string;
  isList: boolean;
  /** A delivery report (bounce): the ids of the mails it reports on, and why. */
  report?: { messageIds: string[]; reason: string };
  /** The body without quoted history and signature; HTML converted to text. */
  text: string;
  attachments: Array<{ name: string; size: number }>;
  size: number;
}

const headerText = (value: HeaderValue | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "value" in value) return String((value as { value: unknown }).value);
  return String(value);
};

const ids = (text: string | string[] | undefined): string[] =>
  (Array.isArray(text) ? text.join(" ") : (text ?? "")).match(/<[^<>\s]+>/g) ?? [];

function firstAddress(address: AddressObject | AddressObject[] | undefined): { address: string; name: string } {
  const first = (Array.isArray(address) ? address[0] : address)?.value[0];
  return { address: (first?.address ?? "").toLowerCase(), name: first?.name ?? "" };
}

/** Where quoted history starts: "On … wrote:", "-----Original Message-----", Outlook's "From: … Sent:". */
const QUOTE_STARTS = [/^-{2,}\s*Original Message\s*-{2,}/i, /^_{5,}\s*$/, /^\s*From:\s.+$/i];

/**
 * The part of a body that is new: cut at the first line of quoted history or at the
 * signature separator ("-- "), and without ">" quoted lines.
 */
export function newText(body: string): string {
  const lines = body.replace(/\r\n/g, "\n").split("\n");
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (line === "-- " || line === "--") break;
    if (QUOTE_STARTS.some((pattern) => pattern.test(line))) {
      // Outlook's header block: "From:" followed by "Sent:" / "Date:" within two lines.
      if (!/^\s*From:/i.test(line) || lines.slice(index + 1, index + 3).some((next) => /^\s*(Sent|Date):/i.test(next))) break;
    }
    // "On Tue, 5 Jan 2027, Jane <j@x.mil> wrote:", sometimes wrapped over two lines.
    if (/^On\s/.test(line) && (/wrote:\s*$/.test(line) || /wrote:\s*$/.test(lines[index + 1] ?? ""))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function reportOf(raw: string): InboundMail["report"] {
  // The reported message's headers are inside the report (message/rfc822 or text/rfc822-headers).
  const messageIds = [...raw.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)].map((match) => match[1] ?? "");
  const diagnostic = /^Diagnostic-Code:\s*(?:smtp;\s*)?(.+)$/im.exec(raw)?.[1] ?? /^Status:\s*(.+)$/im.exec(raw)?.[1] ?? "";
  return { messageIds, reason: diagnostic.trim() || "the recipient's server refused the mail" };
}

/** How the bridge asks mailparser to read a mail: no HTML made of the text, no links made (the bench parses alike). */
export const PARSER_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true } as const;

export async function parseInbound(raw: Buffer): Promise<InboundMail> {
  const parsed = await simpleParser(raw, PARSER_OPTIONS);
  const from = firstAddress(parsed.from);
  const contentType = parsed.headers.get("content-type");
  const isReport =
    typeof contentType === "object" &&
    contentType !== null &&
    "value" in contentType &&
    String(contentType.value).toLowerCase() === "multipart/report";
  // An HTML-only mail (common from Outlook web) is read as text, the way a person sees it.
  const body =
    parsed.text?.trim() ||
    (parsed.html ? convert(parsed.html, { wordwrap: false, selectors: [{ selector: "a", options: { ignoreHref: true } }] }) : "");
  const messageId =
    parsed.messageId ??
    // No Message-ID (rare, broken mailers): an id from the content still catches a second read.
    `<content-${(await import("node:crypto")).createHash("sha256").update(raw).digest("hex").slice(0, 32)}@mission-assist.invalid>`;
  const inReplyTo = ids(parsed.inReplyTo);
  const references = ids(parsed.references).reverse();
  return {
    messageId,
    from: from.address,
    fromName: from.name,
    subject: (parsed.subject ?? "").trim(),
    answers: [...new Set([...inReplyTo, ...references])],
    autoSubmitted: headerText(parsed.headers.get("auto-submitted"))?.toLowerCase().trim(),
    precedence: headerText(parsed.headers.get("precedence"))?.toLowerCase().trim(),
    isList: parsed.headers.has("list-id") || parsed.headers.has("list-unsubscribe"),
    report: isReport ? reportOf(raw.toString("utf8")) : undefined,
    text: newText(body),
    attachments: isReport
      ? []
      : parsed.attachments
          .filter((attachment) => attachment.contentDisposition !== "inline" || attachment.filename)
          .map((attachment) => ({ name: attachment.filename ?? "(unnamed)", size: attachment.size })),
    size: raw.length,
  };
}
