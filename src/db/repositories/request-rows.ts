import type { MaRequest, PersonRef, RequestForm, RequestIntake } from "../../core/model.js";
import type { RequestChange } from "../../core/ports.js";
import type { Prisma } from "../generated/sqlite/client.js";
import {
  stored,
  storedChoice,
  storedOptional,
  ZDeclineReason,
  ZDeliveryMode,
  ZDodComponent,
  ZEffortType,
  ZLifecyclePhase,
  ZRequestStatus,
  ZSupportType,
} from "./columns.js";

/** How request rows are read (with people and case links) and turned into the core's MaRequest. */
export const PERSON = { include: { identities: { select: { key: true } } } } as const;
export const REQUEST_INCLUDE = {
  requester: PERSON,
  lead: PERSON,
  cases: { select: { caseId: true } },
  intake: true,
  duplicateOf: { select: { id: true, number: true } },
  followers: { select: { person: PERSON }, orderBy: { createdAt: "asc" } },
} as const;
/** A person as a request shows them: read by Prisma's client (PERSON) or a Kysely statement (request-reads.ts). */
export type PersonRow = Pick<Prisma.PersonGetPayload<typeof PERSON>, "id" | "displayName" | "timeZone"> & {
  identities: ReadonlyArray<{ key: string }>;
};
type IntakeRow = Pick<Prisma.RequestIntakeGetPayload<object>, "title" | "missingFields" | "attachments" | "heldMail">;
/** A request with what it includes: read by Prisma's client (REQUEST_INCLUDE) or Kysely statements (request-reads.ts). */
export type RequestRow = Omit<
  Prisma.MaRequestGetPayload<{ include: typeof REQUEST_INCLUDE }>,
  "requester" | "lead" | "followers" | "intake"
> & {
  requester: PersonRow;
  lead: PersonRow | null;
  followers: ReadonlyArray<{ person: PersonRow }>;
  intake: IntakeRow | null;
};

export function toPersonRef(row: Pick<PersonRow, "id" | "displayName" | "timeZone" | "identities">): PersonRef {
  const ref: PersonRef = { id: row.id, displayName: row.displayName, identityKeys: row.identities.map((identity) => identity.key).sort() };
  if (row.timeZone) ref.timeZone = row.timeZone;
  return ref;
}

export function toRequest(row: RequestRow): MaRequest {
  const form: RequestForm = {
    organization: row.organization,
    component: storedChoice(ZDodComponent, "MaRequest.component", row.component),
    program: row.program,
    effortTypes: row.effortTypes
      .split(",")
      .filter(Boolean)
      .map((type) => stored(ZEffortType, "MaRequest.effortTypes", type)),
    supportType: storedChoice(ZSupportType, "MaRequest.supportType", row.supportType),
    lifecyclePhase: storedChoice(ZLifecyclePhase, "MaRequest.lifecyclePhase", row.lifecyclePhase),
    relatedCases: row.cases.map((link) => link.caseId).sort(),
    problemStatement: row.problemStatement,
    desiredOutcome: row.desiredOutcome,
    audienceSize: row.audienceSize,
    preferredStart: row.preferredStart,
    preferredEnd: row.preferredEnd,
    deliveryMode: storedChoice(ZDeliveryMode, "MaRequest.deliveryMode", row.deliveryMode),
    location: row.location,
    travelFunded: row.travelFunded,
    pocName: row.pocName,
    pocEmail: row.pocEmail,
  };
  return {
    id: row.id,
    number: row.number,
    status: stored(ZRequestStatus, "MaRequest.status", row.status),
    version: row.version,
    requester: toPersonRef(row.requester),
    form,
    eligibilityCheck: row.eligibilityCheck,
    lead: row.lead ? toPersonRef(row.lead) : undefined,
    scheduledStart: row.scheduledStart ?? undefined,
    scheduledEnd: row.scheduledEnd ?? undefined,
    declineReason: storedOptional(ZDeclineReason, "MaRequest.declineReason", row.declineReason),
    question: row.question ?? undefined,
    calendarSequence: row.calendarSequence,
    statusSince: row.statusSince,
    stageCreditDays: row.stageCreditDays,
    ...(row.duplicateOf ? { duplicateOf: row.duplicateOf } : {}),
    followers: row.followers.map((follower) => toPersonRef(follower.person)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.intake ? { intake: toIntake(row.intake) } : {}),
  };
}

function toIntake(row: IntakeRow): RequestIntake {
  return {
    title: row.title,
    missingFields: row.missingFields.split(",").filter(Boolean) as RequestIntake["missingFields"],
    attachments: JSON.parse(row.attachments) as RequestIntake["attachments"],
    heldMail: row.heldMail,
  };
}

/** A request's intake as stored. */
export function intakeColumns(intake: Omit<RequestIntake, "heldMail">) {
  return { title: intake.title, missingFields: intake.missingFields.join(","), attachments: JSON.stringify(intake.attachments) };
}

export function formColumns(form: RequestForm) {
  const { relatedCases: _relatedCases, effortTypes, ...rest } = form;
  return { ...rest, effortTypes: effortTypes.join(",") };
}

/** The request after `change`, from the request it was made to. */
export function applyChange(before: MaRequest, change: RequestChange): MaRequest {
  const { form, ...set } = change.set;
  return {
    ...before,
    ...set,
    form: form ? { ...form, relatedCases: [...form.relatedCases].sort() } : before.form,
    status: change.status,
    version: before.version + 1,
    statusSince: change.status !== before.status ? change.at : before.statusSince,
    updatedAt: change.at,
    ...(before.intake && change.missingFields ? { intake: { ...before.intake, missingFields: change.missingFields } } : {}),
  };
}
