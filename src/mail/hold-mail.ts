import { userText } from "../chat/inert.js";
import { type Audience, owedRedraws } from "../chat/owed.js";
import { noticeView } from "../chat/present.js";
import type { MaRequest } from "../core/model.js";
import type { OwedMessage } from "../core/ports.js";
import { outboxIdOf } from "./channel.js";
import type { InboundMail } from "./parse.js";
import type { Handled, MailPassDeps } from "./read-mailbox.js";

/**
 * Held for faculty, never dropped: on its request's card when it has one (and the request
 * does not change), else as a note in each triage channel.
 */
export async function hold(
  deps: MailPassDeps,
  audience: Audience,
  mail: InboundMail,
  reason: string,
  requestId: string | undefined,
  options: { outcome?: string; tellFaculty?: boolean } = {},
): Promise<Handled> {
  const { core } = deps;
  const at = core.clock.now();
  const owed: OwedMessage[] = [];
  const request = requestId ? await core.requests.findById(requestId) : undefined;
  if (request) {
    await deps.store.holdOnRequest(request.id, at);
    // The card shows the held mail; the request itself is unchanged (same version).
    for (const redraw of owedRedraws(audience, request, `Mail from ${mail.from} held: ${reason}`)) {
      owed.push({ ...redraw, dedupeKey: `${redraw.dedupeKey}:held:${mail.messageId}` });
    }
  } else if (options.tellFaculty !== false) {
    const text = `📧 Mail from ${userText(mail.from)} held for faculty (${reason}): “${userText(mail.subject || "(no subject)")}”. It is in the mailbox, marked read.`;
    for (const [platform, conversationId] of audience.triageChannels) {
      owed.push({
        kind: "notice",
        platform,
        conversationId,
        subjectKey: `mail:${mail.messageId}`,
        version: 0,
        body: JSON.stringify(noticeView(text)),
        dedupeKey: `mail-held:${mail.messageId}:${platform}`,
      });
    }
  }
  if (owed.length > 0) await core.outbox.enqueue(owed, at);
  return {
    outcome: options.outcome ?? "held",
    reason,
    requestId: request?.id,
    bucket: "held",
    line: `${mail.from || "(no sender)"}: held — ${reason}${request ? ` (${request.number})` : ""}`,
  };
}

/** A delivery report: the owed mail it reports on is marked failed, with the reason, on the request too. */
export async function bounce(deps: MailPassDeps, mail: InboundMail): Promise<Handled> {
  const reason = mail.report?.reason ?? "delivery failed";
  const outboxId = (mail.report?.messageIds ?? []).map(outboxIdOf).find((id): id is string => id !== undefined);
  const marked = outboxId ? await deps.store.markBounced(outboxId, reason) : undefined;
  if (!marked) {
    return {
      outcome: "ignored",
      reason: "delivery report about no mail of ours",
      bucket: "ignored",
      line: `${mail.from}: delivery report, not about our mail`,
    };
  }
  const requestId = marked.subjectKey.startsWith("request:") ? marked.subjectKey.slice("request:".length) : undefined;
  const request = requestId ? await deps.core.requests.findById(requestId) : undefined;
  if (request) await recordBounceOnRequest(deps, request, reason);
  return {
    outcome: "bounce",
    reason,
    requestId: request?.id,
    bucket: "ignored",
    line: `${mail.from}: bounce — mail${request ? ` about ${request.number}` : ""} not delivered: ${reason}`,
  };
}

/** The request's history says its requester's mail bounced, so faculty see it in `show`. */
async function recordBounceOnRequest(deps: MailPassDeps, request: MaRequest, reason: string): Promise<void> {
  await deps.core.requests.recordEvent({
    requestId: request.id,
    actorId: request.requester.id,
    action: "mail_undeliverable",
    status: request.status,
    note: reason.slice(0, 500),
    at: deps.core.clock.now(),
  });
}
