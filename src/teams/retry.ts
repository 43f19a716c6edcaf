import { realSleep, type Sleep } from "../core/clock.js";

/** Bot Connector statuses worth another try: throttled, precondition races, gateway hiccups. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);
const MAX_ATTEMPTS = 4;
const MAX_WAIT_MS = 60_000;

export interface ConnectorError {
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } };
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null ? (error as ConnectorError).statusCode : undefined;
}

export function retryAfterMs(error: unknown): number | undefined {
  const header = (error as ConnectorError)?.response?.headers?.get?.("retry-after");
  const seconds = Number(header);
  return header !== undefined && Number.isFinite(seconds) ? Math.min(seconds * 1000, MAX_WAIT_MS) : undefined;
}

/**
 * Retries a Bot Connector call on 429/412/502/503/504: waits Retry-After when given,
 * else exponential backoff with jitter; at most 4 attempts. Anything else fails at once.
 */
export async function withConnectorRetries<T>(call: () => Promise<T>, sleep: Sleep = realSleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || !RETRYABLE.has(status) || attempt >= MAX_ATTEMPTS) throw error;
      const backoff = 500 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      await sleep(retryAfterMs(error) ?? backoff);
    }
  }
}
