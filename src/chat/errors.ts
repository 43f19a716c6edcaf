import { isAppError } from "../core/errors.js";
import { noticeView } from "./present.js";
import type { MessageView } from "./views.js";

/** Reports an error nobody expected (with ids only, never user text): adapters log it. */
export type ReportUnexpected = (error: unknown, context: Record<string, string>) => void;

const APOLOGY = "Sorry, something went wrong on our side. Nothing was changed; please try again.";

/**
 * The one place a failure becomes what the user reads: the core's own words for a coded
 * refusal (not found, forbidden, bad input, conflict, unavailable), an apology for
 * anything else, which is reported.
 */
export function answerError(error: unknown, report: ReportUnexpected, context: Record<string, string>): MessageView {
  if (isAppError(error)) return noticeView(error.message);
  report(error, context);
  return noticeView(APOLOGY);
}

/** A rate limit was reached: logged once, with who and what (never what they typed). */
export function noteLimited(
  deps: { warn?: (context: Record<string, string>, message: string) => void },
  error: unknown,
  context: Record<string, string>,
) {
  if (isAppError(error, "LIMITED")) deps.warn?.(context, "rate limit reached");
}

/** True for refusals a user can act on; false for outages and bugs. */
export function isRefusal(error: unknown): boolean {
  return isAppError(error) && error.code !== "UNAVAILABLE";
}
