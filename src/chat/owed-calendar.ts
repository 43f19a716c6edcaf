import { instantInZone } from "../core/dates.js";
import type { MaRequest } from "../core/model.js";
import type { OwedMessage } from "../core/ports.js";
import type { MadeMove } from "../core/requests/move-request.js";
import type { Audience } from "./owed.js";
import type { MessageView } from "./views.js";

/** What an invitation owed by a move carries; the addresses are looked up when it is sent. */
export interface InvitationBody {
  method: "REQUEST" | "CANCEL";
  sequence: number;
  start: string;
  end: string;
}

/** Outlook on the web for each Microsoft cloud (MICROSOFT_CLOUD). */
const OUTLOOK_HOSTS: Record<string, string> = {
  public: "outlook.office.com",
  usgov: "outlook.office365.us",
  "usgov-dod": "outlook-dod.office365.us",
};

/** Sessions run from 09:00 on the first day to 17:00 on the last, in the zone. */
export const SESSION_HOURS = { start: 9, end: 17 } as const;

/** Scheduled or rescheduled: a request; declined or withdrawn once scheduled: a cancellation. */
export function invitationMethod(request: MaRequest, made: MadeMove | undefined): InvitationBody["method"] | undefined {
  if (!made || !request.scheduledStart || !request.scheduledEnd) return undefined;
  if ((made.kind === "schedule" || made.kind === "reschedule") && request.status === "SCHEDULED") return "REQUEST";
  if ((made.kind === "decline" || made.kind === "withdraw") && made.fromStatus === "SCHEDULED") return "CANCEL";
  return undefined;
}

/**
 * With a mailbox, a schedule, a reschedule or a cancellation owes one calendar invitation
 * (to the requester and the lead), keyed by the request's SEQUENCE: a retried change never
 * sends it twice, and each change sends the next.
 */
export function owedInvitation(audience: Audience, request: MaRequest, made: MadeMove | undefined): OwedMessage[] {
  const method = invitationMethod(request, made);
  if (!method || !audience.platforms.includes("email")) return [];
  const stored = request.calendarSequence ?? 1;
  const body: InvitationBody = { method, sequence: stored - 1, start: request.scheduledStart ?? "", end: request.scheduledEnd ?? "" };
  return [
    {
      kind: "invitation",
      platform: "email",
      conversationId: `invite:${request.id}`,
      subjectKey: `request:${request.id}`,
      version: request.version,
      body: JSON.stringify(body),
      dedupeKey: `invitation:${request.id}:s${stored}`,
    },
  ];
}

/** Outlook's "new event" page with only the request id and "Mission Assistance" as its title: no CUI in the link. */
export function outlookLink(request: MaRequest, cloud: string, timeZone: string): string {
  const at = (day: string, hour: number) => instantInZone(day, hour, timeZone).toISOString().replace(".000Z", "Z");
  const query = new URLSearchParams({
    subject: `${request.number} Mission Assistance`,
    startdt: at(request.scheduledStart ?? "", SESSION_HOURS.start),
    enddt: at(request.scheduledEnd ?? "", SESSION_HOURS.end),
  });
  return `https://${OUTLOOK_HOSTS[cloud] ?? OUTLOOK_HOSTS.public}/calendar/deeplink/compose?${query.toString().replace(/\+/g, "%20")}`;
}

/** Without a mailbox, a schedule's notice carries the dates and an "Add to Outlook" link instead of an invitation. */
export function withCalendarLink(view: MessageView, audience: Audience, request: MaRequest, made: MadeMove | undefined): MessageView {
  if (audience.platforms.includes("email") || invitationMethod(request, made) !== "REQUEST" || !audience.calendar) return view;
  const { cloud, timeZone } = audience.calendar;
  const text = `📅 Scheduled ${request.scheduledStart} to ${request.scheduledEnd} — Add to Outlook: ${outlookLink(request, cloud, timeZone)}`;
  return { ...view, blocks: [...view.blocks, { type: "text", text }] };
}
