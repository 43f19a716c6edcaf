import http from "node:http";
import https from "node:https";
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
  const transport = base.protocol === "http:" ? http : https;
  // A handful of kept-alive connections: a new TLS handshake per message costs more than the message.
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 16 });
  const authorization = `Bearer ${options.botToken}`;

  const call = (method: string, { type, text: payload }: { type: string; text: string }, fresh: boolean): Promise<SlackAnswer> =>
    new Promise<SlackAnswer>((resolve, reject) => {
      const request = transport.request(
        new URL(method, base),
        {
          method: "POST",
          agent,
          headers: {
            authorization,
            "content-type": type,
            "content-length": Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => reject(failure(ErrorCode.RequestError, error.message, { original: error })));
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            if (status === 429) {
              const retryAfter = Number(response.headers["retry-after"] ?? 1);
              reject(
                failure(ErrorCode.RateLimitedError, `${method}: rate limited`, {
                  retryAfter: Number.isFinite(retryAfter) ? retryAfter : 1,
                }),
              );
              return;
            }
            if (status < 200 || status >= 300) {
              reject(failure(ErrorCode.HTTPError, `${method}: HTTP ${status}`, { statusCode: status }));
              return;
            }
            let answer: { ok?: boolean; error?: string };
            try {
              answer = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            } catch {
              reject(failure(ErrorCode.HTTPError, `${method}: the answer was not JSON`, { statusCode: status }));
              return;
            }
            if (answer.ok) resolve(answer as SlackAnswer);
            else reject(failure(ErrorCode.PlatformError, `${method}: ${answer.error ?? "not ok"}`, { data: answer }));
          });
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed while idle fails the first request sent
        // on it before Slack saw it (Node's documented case for `reusedSocket`): send it once
        // more on a new connection, or a `views.open` would lose its 3-second trigger.
        if (!fresh && request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
          call(method, { type, text: payload }, true).then(resolve, reject);
          return;
        }
        // Refused, reset or timed out: no answer at all, which the outbox treats as transient.
        reject(failure(ErrorCode.RequestError, `${method}: ${error.message}`, { original: error }));
      });
      // A plain timer cleared when the exchange ends, rather than `signal: AbortSignal.timeout()`:
      // the signal (an EventTarget, its listener on the request, a tracked timer) cost a
      // quarter of the call's CPU in an A/B of bench/caller.ts; the timer, next to nothing.
      const timer = setTimeout(
        () => request.destroy(new DOMException(`no answer within ${options.timeoutMs} ms`, "TimeoutError")),
        options.timeoutMs,
      );
      request.once("close", () => clearTimeout(timer));
      request.end(payload);
    });

  return {
    call: (method, body) => call(method, encode(method, body), false),
  };
}
