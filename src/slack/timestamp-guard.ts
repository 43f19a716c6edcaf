import type { RequestHandler } from "express";

/** Slack's replay window: requests signed more than 5 minutes away from now are refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Bolt refuses only timestamps more than 5 minutes in the past; a correctly signed request
 * dated in the future passes. This checks both directions, before Bolt reads the body.
 * The signature itself is Bolt's to verify (constant-time HMAC over timestamp and body).
 */
export function timestampGuard(now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.headers["x-slack-request-timestamp"];
    const timestamp = Number(Array.isArray(header) ? header[0] : header);
    if (!Number.isFinite(timestamp) || Math.abs(now() / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
      res.status(401).send();
      return;
    }
    next();
  };
}
