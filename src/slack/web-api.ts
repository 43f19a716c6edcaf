import { type Answer, createExchange } from "../http/exchange.js";
import { bolt } from "./bolt.js";

/** Slack's answer to a Web API call that succeeded. */
export type SlackAnswer = { ok: true } & Record<string, unknown>;

/**
 * The Web API calls on the hot paths: every modal, reply and outbox message. One JSON
 * POST on a kept-alive connection, sent once (the outbox retries, never the client).
 * Measured on loopback with the request form's modal (client and server CPU together),
 * one views.open costs ~120 µs here against ~590 µs through the WebClient, which
 * form-encodes every body and walks it twice more for a debug line it builds whatever
 * the log level; in the bot, /ma new went from 1.4 to 0.7 ms of CPU. The token
 * watch and the doctor keep the WebClient (they read its scope headers, rarely).
 * Failures throw the WebClient's error shapes, so one classifier reads both.
 */
export interface SlackApi {
  /** `body`: an object, or JSON text serialised once ahead (see `jsonBody`). */
  call(method: string, body: Record<string, unknown> | JsonText): Promise<SlackAnswer>;
}

/** A request body already serialised, for bodies that never change (the blank request form). */
export class JsonText {
  constructor(readonly text: string) {}
}

/** `{ ...fields, [key]: <json> }` with `json` spliced in as it is: no re-serialising of a fixed view. */
export function jsonBody(fields: Record<string, string>, key: string, json: string): JsonText {
  const head = JSON.stringify(fields).slice(0, -1);
  return new JsonText(`${head}${head.length > 1 ? "," : ""}${JSON.stringify(key)}:${json}}`);
}

/**
 * Methods Slack reads only form-encoded (its read methods such as users.info take no JSON
 * body): sent as the WebClient sends every method, `application/x-www-form-urlencoded`.
 */
const FORM_METHODS = new Set(["users.info"]);

function encode(method: string, body: Record<string, unknown> | JsonText): { type: string; text: string } {
  if (body instanceof JsonText) return { type: "application/json; charset=utf-8", text: body.text };
  if (!FORM_METHODS.has(method)) return { type: "application/json; charset=utf-8", text: JSON.stringify(body) };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) if (value !== undefined) form.append(key, String(value));
  return { type: "application/x-www-form-urlencoded", text: form.toString() };
}

const { ErrorCode } = bolt.webApi;

/** What went wrong, by WebClient's codes (`code`) and as a short `kind` of our own. */
const KINDS = {
  [ErrorCode.PlatformError]: "PLATFORM",
  [ErrorCode.RateLimitedError]: "RATE_LIMITED",
  [ErrorCode.HTTPError]: "HTTP",
  [ErrorCode.RequestError]: "REQUEST",
} as const;
type FailureCode = keyof typeof KINDS;

/**
 * A failed call, shaped as the WebClient's errors are (`code`, and `data`, `retryAfter`,
 * `statusCode` or `original` by code), so one classifier reads both: the contract test
 * (test/slack/web-api-contract.test.ts) compares them against WebClient's own.
 */
export class SlackCallError extends Error {
  readonly kind: (typeof KINDS)[FailureCode];
  readonly data?: { ok?: boolean; error?: string };
  readonly retryAfter?: number;
  readonly statusCode?: number;
  readonly original?: Error;

  constructor(
    readonly code: FailureCode,
    message: string,
    extra: { data?: { ok?: boolean; error?: string }; retryAfter?: number; statusCode?: number; original?: Error },
  ) {
    super(message);
    this.name = "SlackCallError";
    this.kind = KINDS[code];
    if (extra.data !== undefined) this.data = extra.data;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
    if (extra.statusCode !== undefined) this.statusCode = extra.statusCode;
    if (extra.original !== undefined) this.original = extra.original;
  }
}

const failure = (code: FailureCode, message: string, extra: ConstructorParameters<typeof SlackCallError>[2]) =>
  new SlackCallError(code, message, extra);

export function createSlackApi(options: { botToken: string; apiUrl: string; timeoutMs: number }): SlackApi {
  const base = new URL(options.apiUrl);
  const exchange = createExchange({ timeoutMs: options.timeoutMs });
  const authorization = `Bearer ${options.botToken}`;

  async function call(method: string, body: Record<string, unknown> | JsonText): Promise<SlackAnswer> {
    const { type, text } = encode(method, body);
    let answer: Answer;
    try {
      answer = await exchange(new URL(method, base), "POST", { authorization, "content-type": type }, text);
    } catch (error) {
      // Refused, reset or timed out: no answer at all, which the outbox treats as transient.
      throw failure(ErrorCode.RequestError, `${method}: ${(error as Error).message}`, { original: error as Error });
    }
    const { status } = answer;
    if (status === 429) {
      const retryAfter = Number(answer.headers["retry-after"] ?? 1);
      throw failure(ErrorCode.RateLimitedError, `${method}: rate limited`, { retryAfter: Number.isFinite(retryAfter) ? retryAfter : 1 });
    }
    if (status < 200 || status >= 300) throw failure(ErrorCode.HTTPError, `${method}: HTTP ${status}`, { statusCode: status });
    let parsed: { ok?: boolean; error?: string };
    try {
      parsed = JSON.parse(answer.body.toString("utf8"));
    } catch {
      throw failure(ErrorCode.HTTPError, `${method}: the answer was not JSON`, { statusCode: status });
    }
    if (parsed.ok) return parsed as SlackAnswer;
    throw failure(ErrorCode.PlatformError, `${method}: ${parsed.error ?? "not ok"}`, { data: parsed });
  }

  return { call };
}
