import type { Kysely } from "kysely";
import type { MaRequest } from "../../core/model.js";
import type { DB } from "../kysely.js";
import { inPieces, prepareForLists } from "../prepared.js";
import { flag, instant } from "./columns.js";
import { type PersonRow, toRequest } from "./request-rows.js";

/**
 * People by id with their identity keys: one statement for any number of them, compiled once
 * per shape (src/db/prepared.ts). Those not found are missing from the map.
 */
export function peopleReads(db: Kysely<DB>) {
  const people = prepareForLists(db, (ids) =>
    db
      .selectFrom("Person")
      .leftJoin("Identity", "Identity.personId", "Person.id")
      .select(["Person.id", "Person.displayName", "Person.timeZone", "Identity.key"])
      .where("Person.id", "in", ids),
  );
  return async (ids: readonly string[]): Promise<Map<string, PersonRow>> => {
    const found = new Map<string, PersonRow & { identities: Array<{ key: string }> }>();
    for (const piece of inPieces([...new Set(ids)])) {
      for (const row of (await people(piece)).rows) {
        const person = found.get(row.id) ?? { id: row.id, displayName: row.displayName, timeZone: row.timeZone, identities: [] };
        found.set(row.id, person);
        if (row.key !== null) person.identities.push({ key: row.key });
      }
    }
    return found;
  };
}

/**
 * Every column of a request, named: a statement prepared on a PostgreSQL connection keeps its
 * result's shape, and `"MaRequest".*` would fail there ("cached plan must not change result
 * type") once a migration adds a column under a running replica. `toRequest` needs each one.
 */
const REQUEST_COLUMNS = [
  "MaRequest.id",
  "MaRequest.number",
  "MaRequest.year",
  "MaRequest.seq",
  "MaRequest.status",
  "MaRequest.version",
  "MaRequest.requesterId",
  "MaRequest.organization",
  "MaRequest.component",
  "MaRequest.program",
  "MaRequest.effortTypes",
  "MaRequest.supportType",
  "MaRequest.lifecyclePhase",
  "MaRequest.problemStatement",
  "MaRequest.desiredOutcome",
  "MaRequest.audienceSize",
  "MaRequest.preferredStart",
  "MaRequest.preferredEnd",
  "MaRequest.deliveryMode",
  "MaRequest.location",
  "MaRequest.travelFunded",
  "MaRequest.pocName",
  "MaRequest.pocEmail",
  "MaRequest.eligibilityCheck",
  "MaRequest.leadId",
  "MaRequest.scheduledStart",
  "MaRequest.scheduledEnd",
  "MaRequest.declineReason",
  "MaRequest.question",
  "MaRequest.holdReason",
  "MaRequest.calendarSequence",
  "MaRequest.sourcePlatform",
  "MaRequest.statusSince",
  "MaRequest.stageCreditDays",
  "MaRequest.duplicateOfId",
  "MaRequest.createdAt",
  "MaRequest.updatedAt",
] as const;

/**
 * Requests by id as the core sees them, with four statements for any number of them (the
 * requests with their intake and the number of the one each duplicates, their case links,
 * their followers, the people on them), each compiled once per shape (src/db/prepared.ts).
 * Prisma's client spent ten statements on one request, and most of the outbox's CPU
 * preparing a batch's cards. Oldest first, as the client's reads.
 */
export function requestReads(db: Kysely<DB>) {
  const requests = prepareForLists(db, (ids) =>
    db
      .selectFrom("MaRequest")
      .leftJoin("RequestIntake", "RequestIntake.requestId", "MaRequest.id")
      .leftJoin("MaRequest as duplicate", "duplicate.id", "MaRequest.duplicateOfId")
      .select(REQUEST_COLUMNS)
      .select([
        "RequestIntake.requestId as intakeOf",
        "RequestIntake.title as intakeTitle",
        "RequestIntake.missingFields as intakeMissingFields",
        "RequestIntake.attachments as intakeAttachments",
        "RequestIntake.heldMail as intakeHeldMail",
        "duplicate.number as duplicateNumber",
      ])
      .where("MaRequest.id", "in", ids),
  );
  const caseLinks = prepareForLists(db, (ids) =>
    db.selectFrom("RequestCaseLink").select(["requestId", "caseId"]).where("requestId", "in", ids),
  );
  const followers = prepareForLists(db, (ids) =>
    db.selectFrom("RequestFollower").select(["requestId", "personId"]).where("requestId", "in", ids).orderBy("createdAt").orderBy("id"),
  );
  const people = peopleReads(db);

  /** What a request lists of one kind, by request. */
  const byRequest = <T>(rows: ReadonlyArray<{ requestId: string } & T>) => {
    const lists = new Map<string, T[]>();
    for (const row of rows) lists.set(row.requestId, [...(lists.get(row.requestId) ?? []), row]);
    return lists;
  };

  return async (ids: readonly string[]): Promise<MaRequest[]> => {
    const found: MaRequest[] = [];
    for (const piece of inPieces([...new Set(ids)])) {
      const rows = (await requests(piece)).rows;
      if (rows.length === 0) continue;
      const present = rows.map((row) => row.id);
      const links = byRequest((await caseLinks(present)).rows);
      const following = byRequest((await followers(present)).rows);
      const persons = await people([
        ...rows.flatMap((row) => (row.leadId ? [row.requesterId, row.leadId] : [row.requesterId])),
        ...[...following.values()].flat().map((follower) => follower.personId),
      ]);
      const person = (id: string): PersonRow => {
        const found = persons.get(id);
        // A foreign key holds every id here: a missing one is a broken database, not a request to show.
        if (!found) throw new Error("a person a request names is missing");
        return found;
      };
      for (const row of rows) {
        found.push(
          toRequest({
            ...row,
            travelFunded: flag(row.travelFunded),
            eligibilityCheck: flag(row.eligibilityCheck),
            statusSince: instant(row.statusSince),
            createdAt: instant(row.createdAt),
            updatedAt: instant(row.updatedAt),
            requester: person(row.requesterId),
            lead: row.leadId ? person(row.leadId) : null,
            cases: links.get(row.id) ?? [],
            followers: (following.get(row.id) ?? []).map((follower) => ({ person: person(follower.personId) })),
            intake:
              row.intakeOf === null
                ? null
                : {
                    title: String(row.intakeTitle),
                    missingFields: String(row.intakeMissingFields),
                    attachments: String(row.intakeAttachments),
                    heldMail: Number(row.intakeHeldMail),
                  },
            duplicateOf: row.duplicateOfId && row.duplicateNumber !== null ? { id: row.duplicateOfId, number: row.duplicateNumber } : null,
          }),
        );
      }
    }
    return found.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
}
