import type { CoreDeps } from "../core/deps.js";
import { WAITING_FOR_TRIAGE } from "../core/domain.js";
import type { MaRequest, PersonRef, Platform } from "../core/model.js";
import { directAddress, parseIdentityKey } from "../core/people/identity.js";
import type { OwedMessage } from "../core/ports.js";
import type { MadeMove } from "../core/requests/move-request.js";
import { movesForPerson } from "../core/requests/workflow.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import type { ChatChannel } from "./channel.js";
import { REQUEST_FIELD_LABELS } from "./forms.js";
import { userText } from "./inert.js";
import { owedInvitation, withCalendarLink } from "./owed-calendar.js";
import { owedSurvey, surveyTime } from "./owed-feedback.js";
import { requesterCardView } from "./present.js";
import type { MessageView } from "./views.js";

/**
 * Which messages a change owes, and to whom. Built before the change's transaction
 * (the triage channels are read once) and applied inside it, so a request and the
 * messages it causes are stored together.
 */
export interface Audience {
  /** Platforms the bot can speak on now. */
  platforms: Platform[];
  /** Each platform's triage channel, where one is set. */
  triageChannels: Map<Platform, string>;
  /** When a delivery made now owes its survey; unset with surveys off. */
  surveyAt?: Date;
  /** The Microsoft cloud and the zone of "Add to Outlook" links (chat notices of a schedule without a mailbox). */
  calendar?: { cloud: string; timeZone: string };
}

export async function currentAudience(core: CoreDeps, channels: readonly ChatChannel[]): Promise<Audience> {
  const triageChannels = new Map<Platform, string>();
  for (const channel of channels) {
    const conversationId = await getTriageChannel(core, channel.platform, channel.configuredTriageChannel);
    if (conversationId) triageChannels.set(channel.platform, conversationId);
  }
  return {
    platforms: channels.map((channel) => channel.platform),
    triageChannels,
    surveyAt: surveyTime(core),
    calendar: { cloud: core.cloud ?? "public", timeZone: core.timeZone },
  };
}

export const subjectOf = (request: Pick<MaRequest, "id">) => `request:${request.id}`;

/** A message to each identity of each person on the platforms the bot speaks on. */
function notices(audience: Audience, request: MaRequest, people: PersonRef[], view: (person: PersonRef) => MessageView): OwedMessage[] {
  return people.flatMap((person) =>
    person.identityKeys.flatMap((key): OwedMessage[] => {
      const identity = parseIdentityKey(key);
      if (!identity || !audience.platforms.includes(identity.platform)) return [];
      return [
        {
          kind: "notice",
          platform: identity.platform,
          conversationId: directAddress(key),
          subjectKey: subjectOf(request),
          version: request.version,
          body: JSON.stringify(view(person)),
          dedupeKey: `notice:${request.id}:v${request.version}:${key}`,
        },
      ];
    }),
  );
}

/** A request's triage card in one channel: posted once there, ever. */
function triageCard(request: MaRequest, platform: Platform, conversationId: string): OwedMessage {
  return {
    kind: "triage-card",
    platform,
    conversationId,
    subjectKey: subjectOf(request),
    version: request.version,
    body: "",
    dedupeKey: `triage-card:${request.id}:${platform}:${conversationId}`,
  };
}

/** The triage card for a request on each platform with a triage channel. */
export function owedTriageCards(audience: Audience, request: MaRequest): OwedMessage[] {
  return [...audience.triageChannels].map(([platform, conversationId]) => triageCard(request, platform, conversationId));
}

/**
 * A triage channel set later: requests still waiting for triage that have no card in it
 * are owed one. Returns how many.
 */
export async function oweCardsToWaitingRequests(core: CoreDeps, platform: Platform, conversationId: string): Promise<number> {
  const waiting = await core.requests.listByStatus(WAITING_FOR_TRIAGE);
  const carded = await core.triageCards.requestsWithCards(
    platform,
    conversationId,
    waiting.map((request) => request.id),
  );
  const owed = waiting.filter((request) => !carded.has(request.id)).map((request) => triageCard(request, platform, conversationId));
  return core.outbox.enqueue(owed, core.clock.now());
}

/** A redraw of the request's triage cards at this version, wherever they were posted. */
export function owedRedraws(audience: Audience, request: MaRequest, summary?: string): OwedMessage[] {
  // Triage cards live in chat channels; the mailbox has none.
  return audience.platforms
    .filter((platform) => platform !== "email")
    .map((platform) => ({
      kind: "card-redraw",
      platform,
      conversationId: audience.triageChannels.get(platform) ?? "",
      subjectKey: subjectOf(request),
      version: request.version,
      body: JSON.stringify({ summary: summary ?? "" }),
      dedupeKey: `card-redraw:${request.id}:${platform}:v${request.version}`,
    }));
}

/** A new request owes its requester a confirmation and faculty a triage card. */
export function owedForNewRequest(audience: Audience, request: MaRequest): OwedMessage[] {
  const heading = `Your Mission Assistance request ${request.number} was received.`;
  return [
    ...notices(audience, request, [request.requester], (person) =>
      withMissingFields(requesterCardView(request, heading, movesForPerson(person, request)), request),
    ),
    ...owedTriageCards(audience, request),
  ];
}

/**
 * A request that arrived incomplete: the fields still needed, one `Field:` line each, to
 * fill in and send back (a reply by mail fills them).
 */
function withMissingFields(view: MessageView, request: MaRequest): MessageView {
  const missing = request.intake?.missingFields ?? [];
  if (missing.length === 0) return view;
  const lines = missing.map((field) => `${REQUEST_FIELD_LABELS.get(field) ?? field}: `);
  return {
    ...view,
    blocks: [...view.blocks, { type: "text", text: `*Still needed* — reply with these lines filled in:\n${lines.join("\n")}` }],
  };
}

/** A move owes a redraw of the triage cards and a notice to each person concerned. */
export function owedForMove(audience: Audience, request: MaRequest, summary: string, notify: PersonRef[], made?: MadeMove): OwedMessage[] {
  const heading = `${request.number}: ${userText(summary)}`;
  return [
    ...owedRedraws(audience, request, summary),
    ...notices(audience, request, notify, (person) =>
      withCalendarLink(requesterCardView(request, heading, movesForPerson(person, request)), audience, request, made),
    ),
    ...owedSurvey(audience, request, made),
    ...owedInvitation(audience, request, made),
  ];
}
