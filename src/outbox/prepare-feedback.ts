import type { InvitationBody } from "../chat/owed-calendar.js";
import { surveyView } from "../chat/present-feedback.js";
import type { CoreDeps } from "../core/deps.js";
import { labelOf } from "../core/domain.js";
import { surveyExpiresOn } from "../core/feedback/survey.js";
import { identityOfAddress } from "../core/people/identity.js";
import type { OutboxRow } from "../core/ports.js";
import type { Plan } from "./prepare.js";

const idOf = (subjectKey: string) => subjectKey.slice(subjectKey.indexOf(":") + 1);

/**
 * A survey due: sent while the request is still delivered and its survey unanswered. The
 * survey row (one per request, a unique key) is opened by the first send; it sets the
 * 14 working days it stays open.
 */
export async function prepareSurvey(core: CoreDeps, row: OutboxRow, now: Date): Promise<Plan> {
  const request = await core.requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  if (request.status !== "DELIVERED") return { cancel: "request no longer delivered" };
  const identityKey = identityOfAddress(row.conversationId);
  if (!identityKey || !request.requester.identityKeys.includes(identityKey)) return { cancel: "no longer the requester" };
  // Sent before this delivery owed it (a reopen, then a redelivery): once per request.
  const earlier = await core.surveys.find(request.id);
  if (earlier && earlier.sentAt < row.createdAt) return { cancel: "surveyed after an earlier delivery" };
  const survey = await core.surveys.open(request.id, now, surveyExpiresOn(core, now));
  if (survey.rating !== undefined) return { cancel: "already answered" };
  const view = surveyView(request, survey, row.platform === "email");
  return {
    send: async (channel) => {
      await channel.sendDirect(identityKey, view, { outboxId: row.id, subjectKey: row.subjectKey });
    },
  };
}

/**
 * A calendar invitation owed: to the requester (their e-mail identity, else the request's
 * point of contact) and the lead, at the addresses known when it is sent. Sent on the
 * channel that has a mailbox; a platform without one cancels it (the notice had the link).
 */
export async function prepareInvitation(core: CoreDeps, row: OutboxRow, now: Date): Promise<Plan> {
  const request = await core.requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  const body = JSON.parse(row.body) as InvitationBody;
  const requester = (await core.people.contactOf(request.requester.id)).email ?? request.form.pocEmail;
  const lead = request.lead ? (await core.people.contactOf(request.lead.id)).email : undefined;
  const emails = [...new Set([requester, lead].filter((email): email is string => Boolean(email)).map((email) => email.toLowerCase()))];
  if (emails.length === 0) return { cancel: "no e-mail address for the requester or the lead" };
  const invite = {
    method: body.method,
    uid: `${request.id}@mission-assist`,
    sequence: body.sequence,
    stamp: now,
    summary: `${request.number} Mission Assistance`,
    start: body.start,
    end: body.end,
    location: request.form.deliveryMode === "VIRTUAL" ? "Virtual" : request.form.location || labelOf(request.form.deliveryMode),
    timeZone: core.timeZone,
    attendees: emails.map((email) => ({ email })),
  };
  return {
    send: async (channel) => {
      if (!channel.sendInvitation) throw new Error(`${channel.platform} sends no calendar invitations`);
      await channel.sendInvitation(invite, { outboxId: row.id, subjectKey: row.subjectKey });
    },
  };
}
