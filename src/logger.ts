import pino from "pino";

/**
 * Structured logs. Form contents and tokens never belong in a log line: log ids
 * (request number, user id, action id), and these paths are redacted in case they slip in.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          "token",
          "*.token",
          "authorization",
          "*.authorization",
          "headers.authorization",
          "req.headers.authorization",
          'req.headers["x-slack-signature"]',
          "password",
          "*.password",
          "form",
          "*.form",
          "values",
          "*.values",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

export type Logger = pino.Logger;

/**
 * What of an error goes into a log line: its name and code or HTTP status, never its
 * message, which may quote user input or a token.
 */
export function errorSummary(error: unknown): { name?: string; code?: unknown; status?: unknown } {
  if (typeof error !== "object" || error === null) return { name: typeof error };
  const { name, code, statusCode } = error as { name?: string; code?: unknown; statusCode?: unknown };
  return { name, code, status: statusCode };
}
