/** Error codes every adapter knows how to answer. Match on codes, never on message text. */
/** LIMITED: a per-person rate limit was reached (nothing stored); the message says what to do. */
export type ErrorCode = "NOT_FOUND" | "FORBIDDEN" | "INVALID_INPUT" | "CONFLICT" | "UNAVAILABLE" | "LIMITED";

/** Field name → message, for forms: adapters show each beside its input. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors;

  constructor(code: ErrorCode, message: string, fieldErrors: FieldErrors = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** The one answer for both "does not exist" and "you may not see it", so nothing leaks. */
export function notFoundOrNotPermitted(what: string): AppError {
  return new AppError("NOT_FOUND", `${what} was not found, or you do not have access to it.`);
}
