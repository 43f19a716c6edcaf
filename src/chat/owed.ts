import type { CoreDeps } from "../core/deps.js";
import { WAITING_FOR_TRIAGE } from "../core/domain.js";
import type { FieldErrors } from "../core/errors.js";
import type { MaRequest, PersonRef, Platform } from "../core/model.js";
import { directAddress, parseIdentityKey } from "../core/people/identity.js";
import type { OwedMessage } from "../core/ports.js";
import type { MadeMove } from "../core/requests/move-request.js";
import { movesForPerson } from "../core/requests/workflow.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import type { ChatChannel } from "./channel.js";
import { readerZone } from "./format.js";
import { REQUEST_FIELD_LABELS } from "./forms.js";
import { userText } from "./inert.js";
import { owedInvitation, withCalendarLink } from "./owed-calendar.js";
import { owedSurvey, surveyTime } from "./owed-feedback.js";
import { requesterCardView } from "./present.js";
import { followerCardView, isFollowerOnly, mergedHeading } from "./present-lifecycle.js";
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
  /** REMINDER_TIMEZONE: instants for anyone whose platform gave no zone of their own. */
  timeZone: string;
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
  const now = core.clock.now();
  let surveyAt: { at: Date | undefined } | undefined;
  return {
    platforms: channels.map((channel) => channel.platform),
    triageChannels,
    timeZone: core.timeZone,
    // Worked out (working days, holidays, zones) only for a change that owes a survey, a
    // delivery, as of when the audience was read: not on every submission and move.
    get surveyAt() {
      surveyAt ??= { at: surveyTime(core, now) };
      return surveyAt.at;
    },
    calendar: { cloud: core.cloud ?? "public", timeZone: core.timeZone },
  };
}

export const subjectOf = (request: Pick<MaRequest, "id">) => `request:${request.id}`;

/** A message to each identity of each person on the platforms the bot speaks on. */
function notices(
  audience: Audience,
  request: MaRequest,
  people: PersonRef[],
  view: (person: PersonRef) => MessageView,
  kind: (platform: Platform) => "notice" | "requester-card" = () => "notice",
): OwedMessage[] {
  return people.flatMap((person) =>
    person.identityKeys.flatMap((key): OwedMessage[] => {
      const identity = parseIdentityKey(key);
      if (!identity || !audience.platforms.includes(identity.platform)) return [];
      return [
        {
          kind: kind(identity.platform),
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

/**
 * A new request owes its requester a confirmation and faculty a triage card. `refused`: values
 * a free-text request gave that were not accepted, each with why (its limit, its format).
 */
export function owedForNewRequest(audience: Audience, request: MaRequest, refused: FieldErrors = {}): OwedMessage[] {
  const heading = `Your Mission Assistance request ${request.number} was received.`;
  return [
    // In chat it is a card redrawn as the request moves; a mail stays as sent.
    ...notices(
      audience,
      request,
      [request.requester],
      (person) =>
        withMissingFields(
          requesterCardView(request, heading, movesForPerson(person, request), readerZone(person, audience.timeZone)),
          request,
          refused,
        ),
      (platform) => (platform === "email" ? "notice" : "requester-card"),
    ),
    ...owedTriageCards(audience, request),
  ];
}

/**
 * A request that arrived incomplete: the fields still needed, one `Field:` line each, to
 * fill in and send back (a reply by mail fills them).
 */
function withMissingFields(view: MessageView, request: MaRequest, refused: FieldErrors): MessageView {
  const missing = request.intake?.missingFields ?? [];
  if (missing.length === 0) return view;
  const lines = missing.map((field) => `${REQUEST_FIELD_LABELS.get(field) ?? field}: `);
  const why = missing.flatMap((field) => (refused[field] ? [`${REQUEST_FIELD_LABELS.get(field) ?? field}: ${refused[field]}`] : []));
  return {
    ...view,
    blocks: [
      ...view.blocks,
      ...(why.length > 0 ? [{ type: "text" as const, text: `*Not accepted*\n${why.join("\n")}` }] : []),
      { type: "text", text: `*Still needed* — reply with these lines filled in:\n${lines.join("\n")}` },
    ],
  };
}

/** A redraw of the requester's "received" card in each chat they have, at this version. */
function owedRequesterRedraws(audience: Audience, request: MaRequest): OwedMessage[] {
  return request.requester.identityKeys.flatMap((key): OwedMessage[] => {
    const identity = parseIdentityKey(key);
    if (!identity || identity.platform === "email" || !audience.platforms.includes(identity.platform)) return [];
    return [
      {
        kind: "requester-redraw",
        platform: identity.platform,
        conversationId: directAddress(key),
        subjectKey: subjectOf(request),
        version: request.version,
        body: "",
        dedupeKey: `requester-redraw:${request.id}:${key}:v${request.version}`,
      },
    ];
  });
}

/**
 * A move owes a redraw of the triage cards and the requester's card, and a notice to each
 * person concerned (a follower gets the follower's card). Never an internal note: these views
 * carry none.
 */
export function owedForMove(audience: Audience, request: MaRequest, summary: string, notify: PersonRef[], made?: MadeMove): OwedMessage[] {
  const heading = `${request.number}: ${userText(summary)}`;
  return [
    ...owedRedraws(audience, request, summary),
    ...owedRequesterRedraws(audience, request),
    ...notices(audience, request, notify, (person) =>
      isFollowerOnly(person, request)
        ? followerCardView(request, heading, readerZone(person, audience.timeZone))
        : withCalendarLink(
            requesterCardView(request, heading, movesForPerson(person, request), readerZone(person, audience.timeZone)),
            audience,
            request,
            made,
          ),
    ),
    ...owedSurvey(audience, request, made),
    ...owedInvitation(audience, request, made),
  ];
}

/** A merge owes both cards redrawn and the duplicate's requester told, once (the duplicate's last version). */
export function owedForMerge(
  audience: Audience,
  merged: { duplicate: MaRequest; into: MaRequest; newFollower: boolean },
  by: string,
): OwedMessage[] {
  const { duplicate, into, newFollower } = merged;
  const requester = duplicate.requester;
  return [
    ...owedRedraws(audience, duplicate, `Merged into ${into.number} by ${by}`),
    ...owedRedraws(audience, into, `${duplicate.number} merged into it by ${by}`),
    ...notices(audience, duplicate, [requester], (person) =>
      followerCardView(into, mergedHeading(duplicate, into, newFollower), readerZone(person, audience.timeZone)),
    ),
  ];
}
