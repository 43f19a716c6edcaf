import { addDays, dayInZone, daysBetween, formatDay, isIsoDate } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError } from "../errors.js";
import type { Actor, IsoDate, PersonRef } from "../model.js";
import { isFaculty } from "../permissions.js";
import type { AwayPeriod, StoredAwayPeriod } from "../ports.js";

/**
 * When faculty are away (leave, TDY, teaching): the lead picker marks them and never
 * suggests them, and nudges about their requests go to their backup or the admins.
 */

/** The longest period one `away` may set. */
export const MAX_AWAY_DAYS = 366;
export const MAX_AWAY_NOTE_LENGTH = 200;

export interface SetAwayInput {
  from: IsoDate;
  to: IsoDate;
  note?: string;
  /** A faculty member named as `@handle`, a display name or a user id: gets the nudges meanwhile. */
  backup?: string;
}

function requireFaculty(actor: Actor): void {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty can set when they are away.");
}

const today = (deps: Pick<CoreDeps, "clock" | "timeZone">) => dayInZone(deps.clock.now(), deps.timeZone);

/** The faculty member a person typed: `@dana.ruiz`, `Dana Ruiz`, or a platform user id. */
async function findFaculty(deps: Pick<CoreDeps, "people">, typed: string): Promise<PersonRef> {
  const wanted = typed.trim().replace(/^@/, "").toLowerCase();
  const faculty = await deps.people.listFaculty();
  const found = faculty.filter(
    (person) =>
      person.displayName.toLowerCase() === wanted ||
      person.identityKeys.some((key) => key.toLowerCase() === wanted || key.slice(key.indexOf(":") + 1).toLowerCase() === wanted),
  );
  if (found.length === 1 && found[0]) return found[0];
  throw new AppError(
    "INVALID_INPUT",
    found.length === 0 ? `No faculty member is called "${typed.trim()}".` : `More than one faculty member is called "${typed.trim()}".`,
  );
}

/**
 * Records a period away. Periods that overlap or touch the new one are merged into it, so
 * a person's periods never overlap. Returns their periods from today on.
 */
export async function setAway(deps: CoreDeps, actor: Actor, input: SetAwayInput): Promise<AwayPeriod[]> {
  requireFaculty(actor);
  const day = today(deps);
  if (!isIsoDate(input.from) || !isIsoDate(input.to))
    throw new AppError("INVALID_INPUT", "Give the dates as days, for example 2027-01-12.");
  if (input.to < input.from)
    throw new AppError("INVALID_INPUT", `${formatDay(input.to)} is before ${formatDay(input.from)}: the end comes last.`);
  if (input.to < day) throw new AppError("INVALID_INPUT", `That period ended on ${formatDay(input.to)}; give one that is not over.`);
  if (daysBetween(input.from, input.to) + 1 > MAX_AWAY_DAYS) throw new AppError("INVALID_INPUT", "A period away is at most a year.");
  const note = (input.note ?? "").trim();
  if (note.length > MAX_AWAY_NOTE_LENGTH) throw new AppError("INVALID_INPUT", `The note has at most ${MAX_AWAY_NOTE_LENGTH} characters.`);
  const backup = input.backup ? await findFaculty(deps, input.backup) : undefined;
  if (backup?.id === actor.id) throw new AppError("INVALID_INPUT", "Name someone else as your backup.");

  const existing = await deps.availability.listFrom(actor.id, day);
  let merged: StoredAwayPeriod = { personId: actor.id, from: input.from, to: input.to, note, backupId: backup?.id };
  const kept: StoredAwayPeriod[] = [];
  for (const period of existing) {
    // Touching periods (one ends the day before the other starts) are one absence.
    const joins = period.from <= addDays(merged.to, 1) && merged.from <= addDays(period.to, 1);
    const stored: StoredAwayPeriod = {
      personId: period.personId,
      from: period.from,
      to: period.to,
      note: period.note,
      backupId: period.backup?.id,
    };
    if (!joins) {
      kept.push(stored);
      continue;
    }
    const notes = [...new Set([period.note, merged.note].filter(Boolean))];
    merged = {
      personId: actor.id,
      from: period.from < merged.from ? period.from : merged.from,
      to: period.to > merged.to ? period.to : merged.to,
      note: notes.join("; ").slice(0, MAX_AWAY_NOTE_LENGTH),
      backupId: merged.backupId ?? stored.backupId,
    };
  }
  const periods = [...kept, merged].sort((a, b) => a.from.localeCompare(b.from));
  const audit = {
    actorId: actor.id,
    action: "away",
    subject: actor.id,
    note: `${input.from} to ${input.to}${note ? ` — ${note}` : ""}${backup ? ` (backup: ${backup.displayName})` : ""}`,
    at: deps.clock.now(),
  };
  await deps.availability.replaceFrom(actor.id, day, periods, audit);
  return deps.availability.listFrom(actor.id, day);
}

/**
 * `away off`: back from today. A period under way ends yesterday (it happened); later
 * ones are dropped. Returns how many periods were ended or dropped.
 */
export async function endAway(deps: CoreDeps, actor: Actor): Promise<number> {
  requireFaculty(actor);
  const day = today(deps);
  const existing = await deps.availability.listFrom(actor.id, day);
  if (existing.length === 0) return 0;
  const history = existing
    .filter((period) => period.from < day)
    .map(
      (period): StoredAwayPeriod => ({
        personId: period.personId,
        from: period.from,
        to: addDays(day, -1),
        note: period.note,
        backupId: period.backup?.id,
      }),
    );
  const audit = { actorId: actor.id, action: "away-off", subject: actor.id, note: `back from ${day}`, at: deps.clock.now() };
  await deps.availability.replaceFrom(actor.id, day, history, audit);
  return existing.length;
}

/** The person's periods from today on: the first is under way when it has started. */
export async function myAwayPeriods(deps: CoreDeps, actor: Actor): Promise<AwayPeriod[]> {
  if (!isFaculty(actor)) return [];
  return deps.availability.listFrom(actor.id, today(deps));
}

/** Who is away on a day, by person id. */
export async function awayOn(deps: Pick<CoreDeps, "availability">, day: IsoDate, personIds?: string[]): Promise<Map<string, AwayPeriod>> {
  const periods = await deps.availability.awayOn(day, personIds);
  return new Map(periods.map((period) => [period.personId, period]));
}
