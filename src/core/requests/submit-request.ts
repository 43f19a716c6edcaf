import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import type { FieldErrors } from "../errors.js";
import { requestQuota } from "../limits/rate-limits.js";
import { type Actor, type MaRequest, type PersonRef, type Platform, zoneOf } from "../model.js";
import type { IdentityInfo, OweMessages } from "../ports.js";
import { type RawRequestForm, validateRequestForm } from "./request-form.js";

export interface SubmitRequestInput {
  actor: Actor;
  raw: RawRequestForm;
  platform: Platform | "cli";
  /** Same key again (a platform retry, a double click) returns the first request. */
  idempotencyKey?: string;
  /** The messages the new request owes (confirmation, triage cards), stored with it. */
  owe?: OweMessages;
  /** The actor is not stored yet (PeopleDirectory.resolveRequester): stored with the request. */
  newRequester?: IdentityInfo;
}

export type SubmitRequestResult =
  | { ok: true; request: MaRequest; created: boolean; notify: PersonRef[] }
  | { ok: false; fieldErrors: FieldErrors };

/**
 * Validates and stores a Mission Assistance request. Field errors come back as data (the
 * form stays open); a storage failure throws AppError UNAVAILABLE and stores nothing.
 */
export async function submitRequest(deps: CoreDeps, input: SubmitRequestInput): Promise<SubmitRequestResult> {
  const at = deps.clock.now();
  const validation = validateRequestForm(input.raw, dayInZone(at, deps.timeZone));
  if (!validation.ok) return validation;
  const { request, created } = await deps.requests.create(
    {
      requester: {
        id: input.actor.id,
        displayName: input.actor.displayName,
        identityKeys: input.actor.identityKeys,
        ...zoneOf(input.actor),
      },
      form: validation.form,
      // Mission Assistance is for DoD components: anyone else is checked before triage.
      eligibilityCheck: validation.form.component === "OTHER",
      sourcePlatform: input.platform,
      idempotencyKey: input.idempotencyKey,
      at,
      quota: deps.limits ? requestQuota(deps.limits.policy, at) : undefined,
      ...(input.newRequester ? { newRequester: input.newRequester } : {}),
    },
    input.owe,
  );
  return { ok: true, request, created, notify: [request.requester] };
}
