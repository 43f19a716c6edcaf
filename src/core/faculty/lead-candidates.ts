import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError } from "../errors.js";
import type { Actor, MaRequest, PersonRef } from "../model.js";
import { isFaculty } from "../permissions.js";
import type { AwayPeriod } from "../ports.js";
import { awayOn } from "./availability.js";
import { requestTags } from "./skills.js";

/** One faculty member in the Accept form's lead picker, with why they are where they are. */
export interface LeadCandidate {
  person: PersonRef;
  /** Open assignments (accepted or scheduled) they lead. */
  openAssignments: number;
  /** Set when they are away today: never suggested. */
  away?: AwayPeriod;
  /** Their skills that this request is about. */
  matchingSkills: string[];
}

export interface LeadPicker {
  /** Not away first, then most matching skills, then lightest load, then name. */
  candidates: LeadCandidate[];
  /** The first, unless everyone is away: nobody away is ever suggested. */
  suggested?: PersonRef;
}

/** Every faculty member who could lead this request, ordered for the lead picker. */
export async function leadCandidates(deps: CoreDeps, actor: Actor, request: MaRequest): Promise<LeadPicker> {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty can see faculty assignments.");
  const [faculty, load, skills] = await Promise.all([deps.people.listFaculty(), deps.requests.openLoadByLead(), deps.skills.all()]);
  const away = await awayOn(
    deps,
    dayInZone(deps.clock.now(), deps.timeZone),
    faculty.map((person) => person.id),
  );
  const tags = requestTags(request);
  const candidates = faculty
    .map(
      (person): LeadCandidate => ({
        person,
        openAssignments: load.get(person.id) ?? 0,
        away: away.get(person.id),
        matchingSkills: (skills.get(person.id) ?? []).filter((tag) => tags.has(tag)).sort(),
      }),
    )
    .sort(
      (a, b) =>
        Number(a.away !== undefined) - Number(b.away !== undefined) ||
        b.matchingSkills.length - a.matchingSkills.length ||
        a.openAssignments - b.openAssignments ||
        a.person.displayName.localeCompare(b.person.displayName),
    );
  const first = candidates[0];
  return { candidates, suggested: first && !first.away ? first.person : undefined };
}
