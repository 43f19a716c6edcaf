/**
 * The Security Cooperation vocabulary the product uses (see shared domain notes):
 * every list of allowed values lives here, once.
 */

export const DOD_COMPONENTS = [
  "ARMY",
  "NAVY",
  "MARINE_CORPS",
  "AIR_FORCE",
  "SPACE_FORCE",
  "OSD",
  "DEFENSE_AGENCY",
  "COMBATANT_COMMAND",
  "OTHER",
] as const;
export type DodComponent = (typeof DOD_COMPONENTS)[number];

export const EFFORT_TYPES = ["FMS", "BPC", "DCS", "HYBRID_FMS_DCS", "ACSA", "IAC"] as const;
export type EffortType = (typeof EFFORT_TYPES)[number];

export const SUPPORT_TYPES = [
  "ADVISORY",
  "WORKSHOP",
  "DOCUMENT_REVIEW",
  "JST_WALKTHROUGH",
  "PROGRAM_REVIEW",
  "BRIEFING",
  "NEGOTIATION_PREP",
  "OTHER",
] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

export const LIFECYCLE_PHASES = ["ACQ_PLANNING", "PRE_LOR", "LOR", "LOA", "RFP", "CONTRACT", "EXECUTION", "DELIVERY"] as const;
export type LifecyclePhase = (typeof LIFECYCLE_PHASES)[number];

export const DELIVERY_MODES = ["VIRTUAL", "ON_SITE", "HYBRID"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const REQUEST_STATUSES = ["SUBMITTED", "NEEDS_INFO", "ACCEPTED", "SCHEDULED", "DELIVERED", "DECLINED", "WITHDRAWN"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses a request can still move out of. */
export const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = ["SUBMITTED", "NEEDS_INFO", "ACCEPTED", "SCHEDULED"];

/** Statuses in which a request waits on faculty or its requester, before anyone is assigned. */
export const WAITING_FOR_TRIAGE: readonly RequestStatus[] = ["SUBMITTED", "NEEDS_INFO"];

export const DECLINE_REASONS = ["NO_CAPACITY", "INELIGIBLE", "OUT_OF_SCOPE", "DUPLICATE"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const CASE_STATUSES = ["PRE_OFFER", "OFFERED", "IMPLEMENTED", "SSC", "CLOSED", "CANCELLED"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Cases in these statuses get no more reminders. */
export const INACTIVE_CASE_STATUSES: readonly CaseStatus[] = ["CLOSED", "CANCELLED"];

export const CASE_TYPES = ["FMS", "BPC"] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const LOA_CATEGORIES = ["A", "B", "C", "D"] as const;
export type LoaCategory = (typeof LOA_CATEGORIES)[number];

/** Milestone types in their usual order along a case's life. */
export const MILESTONE_TYPES = [
  "LOR_RECEIVED",
  "LOR_ACTIONABLE",
  "LOR_COMPLETE",
  "MILAP",
  "CN_FORMAL_NOTIFIED",
  "OFFERED",
  "OED",
  "ACCEPTED",
  "INITIAL_DEPOSIT",
  "IMPLEMENTED",
  "CASE_REVIEW",
  "PAYMENT_DUE",
  "FUNDS_EXPIRE",
  "SSC",
  "CLOSURE_DUE",
  "CLOSED",
  "OTHER",
] as const;
export type MilestoneType = (typeof MILESTONE_TYPES)[number];

/**
 * Standard SAMM timelines. Statutory and policy numbers change: keep them here and
 * nowhere else.
 */
export const SAMM = {
  /** Days from LOR receipt (A, B, D) or LOR actionable (C) to LOA offer, by category. */
  offerDays: {
    A: { from: "LOR_RECEIVED", days: 45 },
    B: { from: "LOR_RECEIVED", days: 100 },
    C: { from: "LOR_ACTIONABLE", days: 150 },
    D: { from: "LOR_RECEIVED", days: 60 },
  },
  /** OED = MILAP + N days. */
  oedDaysAfterMilap: { FMS: 85, BPC: 30 },
  /** An LOR not actionable this many days after receipt needs follow-up. */
  lorActionableFollowUpDays: 30,
  /** A case closes this many months after Supply/Services Complete. */
  closureMonthsAfterSsc: 12,
  /** Quarterly FMS payment due dates (month, day). */
  paymentDueDates: [
    [3, 15],
    [6, 15],
    [9, 15],
    [12, 15],
  ],
} as const satisfies {
  offerDays: Record<LoaCategory, { from: MilestoneType; days: number }>;
  oedDaysAfterMilap: Record<CaseType, number>;
  lorActionableFollowUpDays: number;
  closureMonthsAfterSsc: number;
  paymentDueDates: readonly (readonly [number, number])[];
};

/** Human labels for enum values ("ON_SITE" → "On site"), used by every renderer. */
export function labelOf(value: string): string {
  const special: Record<string, string> = {
    FMS: "FMS",
    BPC: "BPC",
    DCS: "DCS",
    ACSA: "ACSA",
    IAC: "IAC",
    OSD: "OSD",
    HYBRID_FMS_DCS: "Hybrid FMS/DCS",
    JST_WALKTHROUGH: "Job Support Tool walkthrough",
    ACQ_PLANNING: "Acquisition planning",
    PRE_LOR: "Pre-LOR",
    LOR: "LOR",
    LOA: "LOA",
    RFP: "RFP",
    MILAP: "MILDEP approval (MILAP)",
    CN_FORMAL_NOTIFIED: "Congressional notification",
    OED: "Offer expiration (OED)",
    SSC: "Supply/services complete (SSC)",
    LOR_RECEIVED: "LOR received",
    LOR_ACTIONABLE: "LOR actionable",
    LOR_COMPLETE: "LOR complete",
    PRE_OFFER: "Pre-offer",
    MARINE_CORPS: "Marine Corps",
    AIR_FORCE: "Air Force",
    SPACE_FORCE: "Space Force",
  };
  if (special[value]) return special[value];
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
