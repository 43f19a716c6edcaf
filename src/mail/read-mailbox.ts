import type { ChatChannel } from "../chat/channel.js";
import { type Audience, currentAudience, owedForMove, owedForNewRequest } from "../chat/owed.js";
import type { CoreDeps } from "../core/deps.js";
import { isAppError } from "../core/errors.js";
import type { Actor, MaRequest } from "../core/model.js";
import { identityKey } from "../core/people/identity.js";
import { moveRequest } from "../core/requests/move-request.js";
import { addToRequest, receiveRequest } from "../core/requests/receive-request.js";
import { errorSummary, type Logger } from "../logger.js";
import { replyToClosed } from "./closed-reply.js";
import { extractFields } from "./fields.js";
import { bounce, hold } from "./hold-mail.js";
import { type InboundMail, parseInbound } from "./parse.js";
import { type SenderRequests, senderRequests } from "./sender-requests.js";
import type { MailRecord, MailStore } from "./store.js";
import { surveyReply } from "./survey-reply.js";
import type { FetchedMail, MailTransport } from "./transport.js";

export interface MailPassDeps {
  core: CoreDeps;
  /** The live platform list (the audience of what a mail owes). */
  channels: readonly ChatChannel[];
  transport: MailTransport;
  store: MailStore;
  /** The mailbox's own address: mail from it is never answered. */
  address: string;
  log: Logger;
  /** This process's name on the reader's lease. */
  worker: string;
  /** Something was owed: send it soon. */
  wake(): void;
}

/** What one pass did, for `mail --once` and the log. */
export interface MailPassSummary {
  /** False when another replica holds the reader's lease (it reads the mailbox now). */
  read: boolean;
  requests: string[];
  replies: string[];
  held: string[];
  ignored: string[];
  duplicates: number;
  /** Messages left unread to try again (a database fault): never lost. */
  failed: number;
}

/** Most new requests one sender may make in an hour; the rest are held for faculty. */
export const MAX_REQUESTS_PER_SENDER_PER_HOUR = 10;
/** A mail larger than this is held for faculty, not parsed into a request. */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;
/** How long one reader holds the mailbox; a pass that dies frees it after this. */
export const MAIL_LEASE_MS = 10 * 60_000;
const LEASE = "mail-reader";
const AUTOMATED_SENDER = /^(mailer-daemon|postmaster)@/i;
const LIST_PRECEDENCE = ["bulk", "list", "junk"];
const REQUEST_NUMBER_IN_SUBJECT = /\[(MA-\d{4}-\d{4,})\]/i;

export type Handled = {
  outcome: string;
  reason?: string;
  requestId?: string;
  line: string;
  bucket: keyof Omit<MailPassSummary, "read" | "duplicates" | "failed">;
  /** Recorded already, in the transaction of the change it made (a new request). */
  recorded?: boolean;
};

/** What is remembered of a handled mail: it is never handled again. */
const recordOf = (mail: InboundMail, handled: Omit<Handled, "line" | "bucket">, at: Date): MailRecord => ({
  messageId: mail.messageId,
  direction: "in",
  requestId: handled.requestId,
  fromAddress: mail.from,
  subject: mail.subject,
  outcome: handled.outcome,
  reason: handled.reason ?? "",
  at,
});

/**
 * One pass over the mailbox: each unread mail becomes a request, a reply to one, a held
 * mail or an ignored one, recorded by its Message-ID; it is marked read only after that
 * is committed. One reader at a time across replicas, by a lease in the database.
 */
export async function readMailbox(deps: MailPassDeps): Promise<MailPassSummary> {
  const summary: MailPassSummary = { read: false, requests: [], replies: [], held: [], ignored: [], duplicates: 0, failed: 0 };
  const { store, core } = deps;
  const now = () => core.clock.now();
  const leaseUntil = () => new Date(Date.now() + MAIL_LEASE_MS);
  if (!(await store.acquireLease(LEASE, deps.worker, new Date(), leaseUntil()))) return summary;
  summary.read = true;
  try {
    const audience = await currentAudience(core, deps.channels);
    const requestsFrom = senderRequests(core.clock, store);
    let renewed = Date.now();
    await deps.transport.readUnread(async (fetched) => {
      // Renewed as the pass goes (a long pass keeps the mailbox to itself), but not for every
      // message: a tenth of the lease between renewals leaves nine tenths to spare.
      if (Date.now() - renewed >= MAIL_LEASE_MS / 10) {
        await store.acquireLease(LEASE, deps.worker, new Date(), leaseUntil());
        renewed = Date.now();
      }
      try {
        const mail = await parseInbound(fetched.raw);
        if (await store.isHandled(mail.messageId, mailKey(mail))) {
          summary.duplicates++;
          return true;
        }
        const handled = await handle(deps, audience, requestsFrom, mail, fetched);
        if (!handled.recorded) await store.record(recordOf(mail, handled, now()));
        if (handled.outcome === "request") requestsFrom.recorded(mail.from);
        summary[handled.bucket].push(handled.line);
        deps.wake();
        return true;
      } catch (error) {
        // Left unread: the next pass tries it again. One plain line, no mail content.
        summary.failed++;
        deps.log.warn({ err: errorSummary(error), ref: fetched.ref }, "a mail could not be processed; it stays unread and is tried again");
        return false;
      }
    });
  } finally {
    await store.releaseLease(LEASE, deps.worker).catch(() => {});
  }
  return summary;
}

/** The key a mail's change is claimed under, so a crash before it is recorded never applies it twice. */
const mailKey = (mail: InboundMail) => `mail:${mail.messageId}`;

async function handle(
  deps: MailPassDeps,
  audience: Audience,
  requestsFrom: SenderRequests,
  mail: InboundMail,
  fetched: FetchedMail,
): Promise<Handled> {
  const from = mail.from || "(no sender)";
  const ignore = (reason: string): Handled => ({ outcome: "ignored", reason, bucket: "ignored", line: `${from}: ${reason}` });
  if (mail.from === deps.address.toLowerCase()) return ignore("sent by this mailbox");
  if (mail.report || AUTOMATED_SENDER.test(mail.from)) return bounce(deps, mail);
  if (mail.autoSubmitted && mail.autoSubmitted !== "no") return ignore(`automatic reply (Auto-Submitted: ${mail.autoSubmitted})`);
  if (mail.precedence && LIST_PRECEDENCE.includes(mail.precedence)) return ignore(`bulk or list mail (Precedence: ${mail.precedence})`);
  if (mail.isList) return ignore("list mail (List-Id)");

  const requestId = await threadOf(deps, mail);
  if (fetched.raw.length > MAX_MAIL_BYTES) return hold(deps, audience, mail, "larger than 10 MB", requestId);
  const { raw, rest } = extractFields(mail.text);
  if (rest === "" && Object.keys(raw).length === 0) return hold(deps, audience, mail, "no text", requestId);

  const actor = await deps.core.people.resolve({
    key: identityKey("email", mail.from),
    displayName: mail.fromName || mail.from,
    email: mail.from,
  });
  if (requestId) return reply(deps, audience, mail, actor, requestId, raw, rest);

  if ((await requestsFrom.inLastHour(mail.from)) >= MAX_REQUESTS_PER_SENDER_PER_HOUR) {
    // One note to faculty per sender and hour, however many more arrive.
    const lastHour = new Date(deps.core.clock.now().getTime() - 60 * 60_000);
    const alreadyHeld = (await deps.store.countFrom(mail.from, "held-limit", lastHour)) > 0;
    return hold(deps, audience, mail, `more than ${MAX_REQUESTS_PER_SENDER_PER_HOUR} new requests from this sender in an hour`, undefined, {
      outcome: "held-limit",
      tellFaculty: !alreadyHeld,
    });
  }
  const { request, created } = await receiveRequest(deps.core, {
    actor,
    raw: { problemStatement: rest, ...raw },
    title: mail.subject,
    attachments: mail.attachments,
    platform: "email",
    idempotencyKey: mailKey(mail),
    // Recorded with the request, in one commit: a statement and a commit fewer per new mail.
    alongside: (stored) => deps.store.record(recordOf(mail, { outcome: "request", requestId: stored.id }, deps.core.clock.now())),
    // Values given but refused (a 3,900-character description) are named with their limit.
    owe: (stored, refused) => owedForNewRequest(audience, stored, refused),
  });
  const missing = request.intake?.missingFields.length ?? 0;
  return {
    outcome: "request",
    requestId: request.id,
    recorded: created,
    bucket: "requests",
    line: `${from}: ${created ? "new request" : "request already made"} ${request.number}${missing > 0 ? ` (${missing} field(s) missing)` : ""}`,
  };
}

/** The request a reply is about: the ids it answers first, then [MA-…] in the subject; never the subject's text. */
async function threadOf(deps: MailPassDeps, mail: InboundMail): Promise<string | undefined> {
  const byId = await deps.store.requestOfMessages(mail.answers);
  if (byId) return byId;
  const number = REQUEST_NUMBER_IN_SUBJECT.exec(mail.subject)?.[1]?.toUpperCase();
  return number ? (await deps.core.requests.findByNumber(number))?.id : undefined;
}

async function reply(
  deps: MailPassDeps,
  audience: Audience,
  mail: InboundMail,
  actor: Actor,
  requestId: string,
  raw: ReturnType<typeof extractFields>["raw"],
  rest: string,
): Promise<Handled> {
  const { core } = deps;
  const request = await core.requests.findById(requestId);
  if (!request)
    return { outcome: "ignored", reason: "its request no longer exists", bucket: "ignored", line: `${mail.from}: request removed` };
  if (request.requester.id !== actor.id) return hold(deps, audience, mail, "mail from someone not on the request", request.id);
  const done = (what: string, outcome: string): Handled => ({
    outcome,
    requestId: request.id,
    bucket: "replies",
    line: `${mail.from}: ${what} ${request.number}`,
  });
  const owe = (changed: MaRequest, summary: string, notify: Parameters<typeof owedForMove>[3]) =>
    owedForMove(audience, changed, summary, notify);
  const rated = await surveyReply(deps, audience, mail.from, actor, request, rest);
  if (rated) return rated;
  if (request.status === "NEEDS_INFO" && rest !== "") {
    try {
      await moveRequest(core, {
        actor,
        requestId: request.id,
        expectedVersion: request.version,
        move: { kind: "answer", answer: rest.slice(0, 3000) },
        owe,
        idempotencyKey: mailKey(mail),
      });
    } catch (error) {
      if (!isAppError(error, "CONFLICT")) throw error;
      return done("reply already applied to", "answer");
    }
    // Fields given with the answer fill the form too (claimed under their own key).
    if (Object.keys(raw).length > 0) {
      await addToRequest(core, { actor, requestId: request.id, raw, text: "", idempotencyKey: `${mailKey(mail)}:fields`, owe });
    }
    return done("answered the question on", "answer");
  }
  const closed = await replyToClosed(core, { actor, request, text: rest, idempotencyKey: mailKey(mail), owe });
  if (closed === "thanks") return { ...done("thanks only, nothing changed on", "thanks"), bucket: "ignored" };
  if (closed === "reopened") return done("reopened", "reopen");
  const result = await addToRequest(core, { actor, requestId: request.id, raw, text: rest, idempotencyKey: mailKey(mail), owe });
  if (result.kind === "seen") return done("reply already applied to", "note");
  return result.kind === "completed"
    ? done(`supplied ${result.supplied.length} field(s) for`, "completed")
    : done("added a note to", "note");
}
