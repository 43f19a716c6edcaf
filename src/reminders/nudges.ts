import { DateTime } from "luxon";
import type { CoreDeps } from "../core/deps.js";
import { OPEN_REQUEST_STATUSES } from "../core/domain.js";
import { awayOn } from "../core/faculty/availability.js";
import type { MaRequest, PersonRef, Platform } from "../core/model.js";
import { adminIdentityKeys } from "../core/people/admins.js";
import { directTargets } from "../core/people/identity.js";
import type { AwayPeriod, OwedMessage } from "../core/ports.js";
import { buildDigest, isEmptyDigest } from "../core/service-levels/digest.js";
import {
  type Nudge,
  type NudgeBody,
  nudgesDue,
  serviceClockOf,
  stageServiceLevel,
  workingDaysWaiting,
} from "../core/service-levels/policy.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import { reminderDay } from "./working-day.js";

export interface ServicePlanDeps {
  core: CoreDeps;
  /** Platforms the bot speaks on, with their configured triage channels. */
  platforms: Array<{ platform: Platform; configuredTriageChannel?: string }>;
  /** DIGEST_TIME, HH:MM in the core's time zone. */
  digestTime: string;
}

export interface ServicePlanResult {
  nudges: number;
  digests: number;
}

/** A digest is posted from DIGEST_TIME for this long: a bot started in the evening does not post a morning digest. */
const DIGEST_WINDOW_HOURS = 8;

/**
 * Writes the service-level nudges and the daily digests owed at `now` into the outbox, on
 * working days only. Each has a key of its own (request, stage, level, target; or channel
 * and day), so overlapping passes and replicas owe each once. `owedAt` (default `now`) is
 * the real time they are owed from, when `now` is simulated.
 */
export async function planServiceLevels(
  deps: ServicePlanDeps,
  now: Date,
  owedAt = now,
  options: { dryRun?: boolean } = {},
): Promise<ServicePlanResult> {
  const { core } = deps;
  const clock = serviceClockOf(core);
  const today = reminderDay(now, core.timeZone);
  const open = await core.requests.listByStatus(OPEN_REQUEST_STATUSES);
  // Nothing open: nothing to nudge or digest (and the holiday table need not be loaded).
  if (open.length === 0 || !core.calendar.isWorkingDay(today)) return { nudges: 0, digests: 0 };
  const owed: OwedMessage[] = [];
  // Read once per pass, and only when some request is escalated to the admins.
  let admins: Promise<string[]> | undefined;
  const adminKeys = () => {
    admins ??= adminIdentityKeys(core);
    return admins;
  };
  // Who is away today, read once per pass: their nudges go to their backup or the admins.
  const away = await awayOn(core, today);
  for (const request of open) {
    for (const nudge of nudgesDue(request, today, clock)) {
      const base: NudgeBody = {
        stage: nudge.stage,
        since: request.statusSince.toISOString(),
        level: nudge.level,
        audience: nudge.audience,
        waited: workingDaysWaiting(request, today, clock),
        serviceLevel: stageServiceLevel(request.status, clock.levels) ?? 0,
      };
      const { targets, coveringFor } = await nudgeTargets(deps, request, nudge, adminKeys, away);
      const body: NudgeBody = coveringFor ? { ...base, coveringFor } : base;
      for (const target of targets) {
        owed.push({
          kind: "nudge",
          ...target,
          subjectKey: `request:${request.id}`,
          version: request.version,
          body: JSON.stringify(body),
          dedupeKey: `nudge:${request.id}:${body.stage}:${body.since}:${nudge.level}:${target.platform}:${target.conversationId}`,
        });
      }
    }
  }
  // A dry run counts what is due (some may be owed already) and stores nothing.
  const nudges = options.dryRun ? owed.length : await core.outbox.enqueue(owed, owedAt);
  const digests = digestDue(now, deps.digestTime, core.timeZone) ? await planDigests(deps, open, today, owedAt, options) : 0;
  return { nudges, digests };
}

function digestDue(now: Date, digestTime: string, timeZone: string): boolean {
  const [hour = 0, minute = 0] = digestTime.split(":").map(Number);
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const from = local.set({ hour, minute, second: 0, millisecond: 0 });
  return local >= from && local < from.plus({ hours: DIGEST_WINDOW_HOURS });
}

async function planDigests(
  deps: ServicePlanDeps,
  open: MaRequest[],
  today: string,
  owedAt: Date,
  options: { dryRun?: boolean },
): Promise<number> {
  const { core } = deps;
  if (isEmptyDigest(buildDigest(open, today, serviceClockOf(core)))) return 0;
  const owed: OwedMessage[] = [];
  for (const { platform, configuredTriageChannel } of deps.platforms) {
    const conversationId = await getTriageChannel(core, platform, configuredTriageChannel);
    if (!conversationId) continue;
    // The body is the day: the digest is drawn from the requests as they are when it is sent.
    owed.push({
      kind: "digest",
      platform,
      conversationId,
      subjectKey: "digest",
      version: 0,
      body: today,
      dedupeKey: `digest:${platform}:${conversationId}:${today}`,
    });
  }
  return options.dryRun ? owed.length : core.outbox.enqueue(owed, owedAt);
}

type Target = { platform: Platform; conversationId: string };

/**
 * Where one nudge goes: the card's channel, or each identity of the people it is for. A
 * faculty member away today is covered by their backup, else by the admins.
 */
async function nudgeTargets(
  deps: ServicePlanDeps,
  request: MaRequest,
  nudge: Nudge,
  adminKeys: () => Promise<string[]>,
  away: Map<string, AwayPeriod>,
): Promise<{ targets: Target[]; coveringFor?: NudgeBody["coveringFor"] }> {
  const { core } = deps;
  const platforms = deps.platforms.map((item) => item.platform);
  const direct = (people: PersonRef[]) =>
    directTargets(
      people.flatMap((person) => person.identityKeys),
      platforms,
    );
  const faculty = async (person: PersonRef | undefined) => {
    if (!person) return { targets: [] };
    const period = away.get(person.id);
    if (!period) return { targets: direct([person]) };
    const coveringFor = { name: person.displayName, until: period.to };
    return { targets: period.backup ? direct([period.backup]) : directTargets(await adminKeys(), platforms), coveringFor };
  };
  switch (nudge.audience) {
    case "triage-card": {
      const cards = await Promise.all(platforms.map((platform) => core.triageCards.find(request.id, platform)));
      return { targets: cards.flatMap((card) => (card ? [{ platform: card.platform, conversationId: card.conversationId }] : [])) };
    }
    case "admins":
      return { targets: directTargets(await adminKeys(), platforms) };
    case "requester":
      return { targets: direct([request.requester]) };
    case "asker": {
      const asked = (await core.requests.history(request.id)).filter((event) => event.action === "askInfo").at(-1);
      return faculty(asked?.actor);
    }
    case "lead":
      return faculty(request.lead);
  }
}
