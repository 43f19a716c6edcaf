/** Slack's replay window: requests signed more than 5 minutes away from now are refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Whether a request's `x-slack-request-timestamp` lies within the replay window. Bolt's
 * check refuses only timestamps more than 5 minutes in the past; a correctly signed request
 * dated in the future passes it. This checks both directions, before the body is read.
 * The signature itself is Bolt's to verify (constant-time HMAC over timestamp and body).
 */
export function withinReplayWindow(header: string | string[] | undefined, nowMs: number): boolean {
  const timestamp = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(timestamp) && Math.abs(nowMs / 1000 - timestamp) <= MAX_CLOCK_SKEW_SECONDS;
}
