import { AuthenticationHandler, Client, HTTPMessageHandler } from "@microsoft/microsoft-graph-client";
import { GraphSignInError } from "./graph-auth.js";
import type { GraphHosts } from "./graph-hosts.js";
import { MailThrottledError, PermanentMailError } from "./transport.js";

/** What to change when Graph refuses the app the mailbox (HTTP 403). */
export const MAILBOX_ACCESS_FIX =
  "give the app the application permissions Mail.ReadWrite and Mail.Send with admin consent; an Exchange Online application access policy (New-ApplicationAccessPolicy) or RBAC for Applications must grant this app the mailbox";

/** How long to wait when a 429/503 names no Retry-After. */
const DEFAULT_RETRY_AFTER_S = 30;

/**
 * The Graph client, with its token from `token` and no retry of its own: its default
 * RetryHandler sleeps through 429/503 inside the call (up to three times, minutes each),
 * where the caller should decide — the outbox backs off, and a mail pass simply tries again
 * at the next poll. The configured host is a "custom host" so the token goes to it too.
 */
export function createGraphClient(hosts: GraphHosts, token: () => Promise<string>): Client {
  return Client.initWithMiddleware({
    middleware: [new AuthenticationHandler({ getAccessToken: token }), new HTTPMessageHandler()],
    baseUrl: hosts.api,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(hosts.api).hostname]),
  });
}

/** Graph refused a call: the status and Graph's error code travel with the plain message (the log shows both). */
export class GraphHttpError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface GraphFailure {
  statusCode?: number;
  code?: string | null;
  headers?: Headers;
}

/** HTTP status of a Graph client error (-1 or undefined when no answer came). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as GraphFailure)?.statusCode;
  return typeof status === "number" && status > 0 ? status : undefined;
}

/**
 * A Graph client error as one plain line for the log, the CLI and the outbox: which step
 * failed, the HTTP status and Graph's error code, and what to change; never the token, the
 * mail or Graph's message text (it can quote the mailbox's content).
 */
export function graphError(error: unknown, what: string): Error {
  if (error instanceof GraphSignInError) return error;
  const { code } = error as GraphFailure;
  const status = statusOf(error);
  const coded = `HTTP ${status}${code ? `, ${code}` : ""}`;
  const refused = (message: string) => new GraphHttpError(message, status ?? 0, code ?? undefined);
  if (status === undefined) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(`Graph did not answer ${what} (${reason}): check MICROSOFT_CLOUD or GRAPH_API_URL and the network`);
  }
  if (status === 429 || status === 503) {
    const header = Number((error as GraphFailure).headers?.get("Retry-After"));
    const seconds = Number.isFinite(header) && header > 0 ? header : DEFAULT_RETRY_AFTER_S;
    return new MailThrottledError(`Graph throttled ${what} (${coded}); retry after ${seconds} s`, seconds * 1000);
  }
  if (status === 401) {
    return refused(
      `Graph refused the app's token ${what} (${coded}): check that GRAPH_TENANT_ID is the mailbox's tenant and MICROSOFT_CLOUD its cloud`,
    );
  }
  if (status === 403) return refused(`Graph denied the app ${what} (${coded}): ${MAILBOX_ACCESS_FIX}`);
  if (status === 404 && /ResourceNotFound|MailboxNotEnabled|ErrorInvalidUser/i.test(code ?? "")) {
    return refused(`Graph found no mailbox ${what} (${coded}): check MAIL_ADDRESS (a mailbox in GRAPH_TENANT_ID's tenant)`);
  }
  return refused(`Graph answered ${coded} ${what}`);
}

/** The same, for sending: a 4xx refusal of the message itself (bad recipient, too large) will not change by retrying. */
export function sendError(error: unknown): Error {
  const translated = graphError(error, "sending a mail");
  const status = statusOf(error);
  const permanent = status !== undefined && status >= 400 && status < 500 && ![401, 403, 404, 408, 409, 429].includes(status);
  return permanent ? new PermanentMailError(translated.message) : translated;
}
