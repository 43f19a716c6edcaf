import type { ChatChannel, DeliveryFailure } from "../chat/channel.js";
import type { MessageView } from "../chat/views.js";
import { parseIdentityKey } from "../core/people/identity.js";
import type { RequestRepository } from "../core/ports.js";
import { invitationCalendar } from "./invitation.js";
import { renderMailText } from "./render.js";
import type { MailStore } from "./store.js";
import { MailThrottledError, type MailTransport, PermanentMailError } from "./transport.js";

export interface EmailChannelDeps {
  transport: MailTransport;
  store: MailStore;
  requests: RequestRepository;
  /** The mailbox's address: the domain of our Message-IDs. */
  address: string;
  clock: { now(): Date };
}

/** Our Message-ID for the mail sent for an outbox row: the same row resent keeps it, so receivers drop the copy. */
export function messageIdFor(outboxId: string, address: string): string {
  return `<ma-${outboxId}@${address.slice(address.indexOf("@") + 1)}>`;
}

/** The outbox row a Message-ID of ours was sent for. */
export function outboxIdOf(messageId: string): string | undefined {
  return /^<ma-([^@>]+)@/.exec(messageId)?.[1];
}

/** How many earlier ids a mail's References carries: enough to thread, short enough for any server. */
const MAX_REFERENCES = 20;

/**
 * E-mail as a platform of the outbox: a notice owed to an `email:` identity leaves as a
 * mail threaded into the request's conversation ([MA-…] in the subject, In-Reply-To and
 * References), with the same retries and failure records as chat.
 */
export function createEmailChannel(deps: EmailChannelDeps): ChatChannel {
  const unsupported = () => Promise.reject(new PermanentMailError("e-mail has no channels or cards"));
  return {
    platform: "email",
    commandPrefix: "",
    async sendDirect(identityKey: string, view: MessageView, about?: { outboxId: string; subjectKey: string }) {
      const identity = parseIdentityKey(identityKey);
      if (identity?.platform !== "email") throw new PermanentMailError(`${identityKey} is not an e-mail address`);
      if (!about) throw new PermanentMailError("a mail needs the owed row it is sent for");
      const requestId = about.subjectKey.startsWith("request:") ? about.subjectKey.slice("request:".length) : undefined;
      const request = requestId ? await deps.requests.findById(requestId) : undefined;
      const thread = request ? await deps.store.threadOf(request.id) : [];
      const messageId = messageIdFor(about.outboxId, deps.address);
      const earlier = thread.map((message) => message.messageId).filter((id) => id !== messageId);
      // Answer the requester's latest mail where there is one, else our own latest.
      const lastFromThem = [...thread].reverse().find((message) => message.direction === "in" && message.fromAddress === identity.userId);
      const title = request ? request.intake?.title || `${request.form.organization} — ${request.form.program}` : "Mission Assistance";
      const subject = request ? `[${request.number}] ${title}` : title;
      // Recorded before it leaves: a reply can arrive before this process hears back from the server.
      await deps.store.record({
        messageId,
        direction: "out",
        requestId: request?.id,
        outboxId: about.outboxId,
        fromAddress: deps.address.toLowerCase(),
        subject,
        outcome: "sent",
        reason: "",
        at: deps.clock.now(),
      });
      await deps.transport.send({
        to: identity.userId,
        subject,
        text: renderMailText(view, request ? `Reply to this mail to answer; keep ${request.number} in the subject.` : ""),
        messageId,
        inReplyTo: lastFromThem?.messageId ?? earlier.at(-1),
        references: earlier.slice(-MAX_REFERENCES),
      });
      // A sent mail cannot be redrawn.
      return undefined;
    },
    async sendInvitation(invite, about) {
      const requestId = about.subjectKey.slice(about.subjectKey.indexOf(":") + 1);
      const messageId = messageIdFor(about.outboxId, deps.address);
      const cancelled = invite.method === "CANCEL";
      // No program, no case: the request id and "Mission Assistance" only.
      const subject = `${cancelled ? "Cancelled: " : ""}${invite.summary}, ${invite.start} to ${invite.end}`;
      // Recorded so a calendar's answer threads to the request instead of making a new one.
      await deps.store.record({
        messageId,
        direction: "out",
        requestId,
        outboxId: about.outboxId,
        fromAddress: deps.address.toLowerCase(),
        subject,
        outcome: "sent",
        reason: "",
        at: deps.clock.now(),
      });
      const when = `${invite.start} to ${invite.end} (${invite.timeZone}), ${invite.location}`;
      await deps.transport.send({
        to: invite.attendees.map((attendee) => attendee.email).join(", "),
        subject,
        text: `${invite.summary}: ${cancelled ? "cancelled" : when}.\n`,
        messageId,
        references: [],
        calendar: { method: invite.method, content: invitationCalendar({ ...invite, organizer: deps.address }) },
      });
    },
    postCard: unsupported,
    updateCard: unsupported,
    replyToCard: unsupported,
    classifyError(error: unknown): DeliveryFailure {
      if (error instanceof PermanentMailError) return { kind: "permanent", reason: error.message };
      if (error instanceof MailThrottledError) return { kind: "rateLimited", retryAfterMs: error.retryAfterMs };
      const code = (error as { responseCode?: number; code?: string }).responseCode;
      const response = String((error as { response?: string }).response ?? (error instanceof Error ? error.message : error));
      // 5xx from the mail server: the address or the message is refused for good.
      if (typeof code === "number" && code >= 500 && code < 600) return { kind: "permanent", reason: `refused: ${response}`.slice(0, 300) };
      if ((error as { code?: string }).code === "EENVELOPE") return { kind: "permanent", reason: `refused: ${response}`.slice(0, 300) };
      return { kind: "transient", reason: `mail server: ${response}`.slice(0, 300) };
    },
  };
}
