import { REQUEST_STATUSES } from "../core/domain.js";
import type { SurveyRecord, SurveyStore } from "../core/feedback/ports.js";
import type { MaRequest } from "../core/model.js";
import type { RequestRepository } from "../core/ports.js";
import { toCsv } from "./csv.js";

export const EXPORT_COLUMNS = [
  "id",
  "status",
  "submitted_at",
  "updated_at",
  "requester",
  "organization",
  "component",
  "program",
  "effort_types",
  "support_type",
  "lifecycle_phase",
  "related_cases",
  "problem_statement",
  "desired_outcome",
  "audience_size",
  "preferred_start",
  "preferred_end",
  "delivery_mode",
  "location",
  "travel_funded",
  "poc_name",
  "poc_email",
  "eligibility_check",
  "lead",
  "scheduled_start",
  "scheduled_end",
  "decline_reason",
  "duplicate_of",
  "rating",
  "rating_comment",
] as const;

function toRow(request: MaRequest, survey: SurveyRecord | undefined): Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean> {
  const { form } = request;
  return {
    id: request.number,
    status: request.status,
    submitted_at: request.createdAt.toISOString(),
    updated_at: request.updatedAt.toISOString(),
    requester: request.requester.identityKeys.join(" "),
    organization: form.organization,
    component: form.component,
    program: form.program,
    effort_types: form.effortTypes.join(" "),
    support_type: form.supportType,
    lifecycle_phase: form.lifecyclePhase,
    related_cases: form.relatedCases.join(" "),
    problem_statement: form.problemStatement,
    desired_outcome: form.desiredOutcome,
    audience_size: form.audienceSize,
    preferred_start: form.preferredStart,
    preferred_end: form.preferredEnd,
    delivery_mode: form.deliveryMode,
    location: form.location,
    travel_funded: form.travelFunded,
    poc_name: form.pocName,
    poc_email: form.pocEmail,
    eligibility_check: request.eligibilityCheck,
    lead: request.lead?.displayName ?? "",
    scheduled_start: request.scheduledStart ?? "",
    scheduled_end: request.scheduledEnd ?? "",
    decline_reason: request.declineReason ?? "",
    duplicate_of: request.duplicateOf?.number ?? "",
    // The feedback survey's answer; empty when none was given (or none was sent).
    rating: survey?.rating ?? "",
    rating_comment: survey?.comment ?? "",
  };
}

/** Every request, oldest first, as CSV (formula-safe for Excel) or JSON. */
export async function exportRequests(
  stores: { requests: RequestRepository; surveys: SurveyStore },
  format: "csv" | "json",
): Promise<{ text: string; count: number }> {
  const all = (await stores.requests.listByStatus(REQUEST_STATUSES)).sort((a, b) =>
    a.number.localeCompare(b.number, "en", { numeric: true }),
  );
  const surveys = new Map((await stores.surveys.forRequests(all.map((request) => request.id))).map((survey) => [survey.requestId, survey]));
  const rows = all.map((request) => toRow(request, surveys.get(request.id)));
  const text = format === "json" ? `${JSON.stringify(rows, null, 2)}\n` : toCsv([...EXPORT_COLUMNS], rows);
  return { text, count: rows.length };
}
