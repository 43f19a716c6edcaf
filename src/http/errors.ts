import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { errorSummary, type Logger } from "../logger.js";

/**
 * What an HTTP error says to the caller: its status's plain name, never the error's own
 * message (a JSON parser's message quotes the body; a library's names its internals).
 */
const ERROR_TEXT: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  413: "request too large",
  415: "unsupported media type",
  500: "internal error",
};

export function errorText(status: number): string {
  return ERROR_TEXT[status] ?? (status < 500 ? "bad request" : "internal error");
}

/** The status an error carries (body-parser and http-errors set one), else 500. */
function statusOf(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = Number(status ?? statusCode);
  return Number.isInteger(value) && value >= 400 && value <= 599 ? value : 500;
}

/** Every route's last resort: `{"error": "..."}` with the status; one log line without the body or the message. */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = logHttpError(log, error, req.path);
    // An answer already under way cannot become JSON: end it rather than let Express print the stack.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json({ error: errorText(status) });
  };
}

function logHttpError(log: Logger, error: unknown, path: string): number {
  const status = statusOf(error);
  const line = { status, path, type: (error as { type?: string })?.type, err: errorSummary(error) };
  if (status >= 500) log.error(line, "request failed");
  else log.warn(line, "request refused");
  return status;
}

/** What jsonErrors answers and logs, on a bare Node response (the routes answered ahead of Express). */
export function answerHttpError(res: ServerResponse, error: unknown, log: Logger, path: string): void {
  const status = logHttpError(log, error, path);
  if (res.headersSent) res.destroy();
  else answerJsonError(res, status);
}

/** A path no route serves. */
export const jsonNotFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: errorText(404) });
};

/**
 * The same `{"error": "..."}` answer on a bare Node response, for the routes answered ahead
 * of Express (Slack's events: see slack/events-receiver.ts).
 */
export function answerJsonError(res: ServerResponse, status: number): void {
  const body = JSON.stringify({ error: errorText(status) });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
