import { z } from "zod";
import {
  CASE_STATUSES,
  CASE_TYPES,
  DECLINE_REASONS,
  DELIVERY_MODES,
  DOD_COMPONENTS,
  EFFORT_TYPES,
  LIFECYCLE_PHASES,
  MILESTONE_TYPES,
  REQUEST_STATUSES,
  SUPPORT_TYPES,
} from "../../core/domain.js";
import type { Platform } from "../../core/model.js";
import type { OutboxKind, OutboxRow, SubscriptionTarget } from "../../core/ports.js";

/**
 * The strings the database stores for the core's unions, checked where rows become core
 * types: a value written by an older or newer version, or by hand, fails here with the
 * column named, not somewhere later as an impossible case.
 */

/** Every member of union `T`, once: adding one to the core's type fails `tsc` here until it is listed. */
const every =
  <T extends string>() =>
  <const L extends readonly [T, ...T[]]>(values: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })) =>
    z.enum(values as unknown as [L[number], ...L[number][]]);

export const ZPlatform = every<Platform>()(["slack", "teams", "email"]);
export const ZOutboxKind = every<OutboxKind>()([
  "triage-card",
  "card-redraw",
  "notice",
  "requester-card",
  "requester-redraw",
  "reminder",
  "nudge",
  "digest",
  "reminder",
  "nudge",
  "digest",
  "survey",
  "invitation",
]);
export const ZOutboxStatus = every<OutboxRow["status"]>()(["PENDING", "SENT", "FAILED", "CANCELLED"]);
export const ZSubscriptionTargetType = every<SubscriptionTarget["type"]>()(["case", "request"]);
export const ZRequestStatus = z.enum(REQUEST_STATUSES);
export const ZDodComponent = z.enum(DOD_COMPONENTS);
export const ZEffortType = z.enum(EFFORT_TYPES);
export const ZSupportType = z.enum(SUPPORT_TYPES);
export const ZLifecyclePhase = z.enum(LIFECYCLE_PHASES);
export const ZDeliveryMode = z.enum(DELIVERY_MODES);
export const ZDeclineReason = z.enum(DECLINE_REASONS);
export const ZCaseStatus = z.enum(CASE_STATUSES);
export const ZCaseType = z.enum(CASE_TYPES);
export const ZMilestoneType = z.enum(MILESTONE_TYPES);

/** A stored value that is not one the core knows: names the column, never the row's content. */
export class UnknownStoredValueError extends Error {
  readonly kind = "UNKNOWN_STORED_VALUE";
  constructor(readonly column: string) {
    super(`${column} holds a value this version does not know`);
    this.name = "UnknownStoredValueError";
  }
}

const enumMembers = new WeakMap<z.ZodTypeAny, Set<unknown>>();

/** `value` as `schema`'s type, or UnknownStoredValueError naming `column`. */
export function stored<T>(schema: z.ZodType<T>, column: string, value: unknown): T {
  // An enum's check is membership in its values: a set lookup, not zod's parse with its
  // context objects (every row read, several columns each).
  if (schema instanceof z.ZodEnum) {
    let members = enumMembers.get(schema);
    if (!members) {
      members = new Set<unknown>(schema.options);
      enumMembers.set(schema, members);
    }
    if (members.has(value)) return value as T;
    throw new UnknownStoredValueError(column);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UnknownStoredValueError(column);
  return parsed.data;
}

/**
 * A request form's choice column: a known value, or "" where a request received by e-mail
 * did not say (its intake names the field as missing, and the card and reply ask for it).
 */
export function storedChoice<T extends string>(schema: z.ZodType<T>, column: string, value: unknown): T {
  return value === "" ? (value as T) : stored(schema, column, value);
}

/** A nullable column: null is undefined in the core. */
export function storedOptional<T>(schema: z.ZodType<T>, column: string, value: unknown): T | undefined {
  return value === null || value === undefined ? undefined : stored(schema, column, value);
}

/**
 * A DateTime column read by a Kysely statement: the driver adapters hand it over as text in
 * Prisma's format (`2026-12-01T19:51:14.000+00:00`) on both databases.
 */
export const instant = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/** A Boolean column read by a Kysely statement: SQLite's adapter gives 0 or 1, PostgreSQL's true or false. */
export const flag = (value: unknown): boolean => value === true || value === 1 || value === 1n;
