import { randomUUID } from "node:crypto";
import type http from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { createHttpHeaders, createPipelineRequest, type HttpClient, type Pipeline } from "@azure/core-rest-pipeline";
import { type Answer, createExchange } from "../http/exchange.js";
import type { ActivityAdapter } from "./bot-framework.js";

type ConnectorClient = Awaited<ReturnType<ActivityAdapter["connectorClient"]>>;

/** The Bot Connector's answer to a send or an update: the message's id. */
export interface ResourceResponse {
  id?: string;
}

/**
 * A failed Bot Connector call, shaped as botbuilder's RestError is where the rest of the
 * code reads it (`statusCode`, `response.headers.get("retry-after")`, the service's error
 * `code`), so src/teams/errors.ts and retry.ts read both alike; the contract test
 * (test/teams/proactive-contract.test.ts) classifies the two side by side.
 */
export class ConnectorCallError extends Error {
  /** HTTP: the service answered with an error status; REQUEST: no answer at all. */
  readonly kind: "HTTP" | "REQUEST";
  readonly statusCode?: number;
  /** The service's error code (`{ error: { code } }`), or the socket's (ECONNREFUSED …). */
  readonly code?: string;
  readonly response?: { status: number; headers: { get(name: string): string | undefined }; bodyAsText: string };

  constructor(message: string, extra: { statusCode?: number; code?: string; headers?: http.IncomingHttpHeaders; body?: string }) {
    super(message);
    this.name = "ConnectorCallError";
    this.kind = extra.statusCode === undefined ? "REQUEST" : "HTTP";
    if (extra.code !== undefined) this.code = extra.code;
    if (extra.statusCode !== undefined) {
      const headers = extra.headers ?? {};
      this.statusCode = extra.statusCode;
      this.response = {
        status: extra.statusCode,
        headers: { get: (name) => [headers[name.toLowerCase()]].flat()[0] },
        bodyAsText: extra.body ?? "",
      };
    }
  }
}

/** What the caller needs of botbuilder's client: its credentials, and the headers its pipeline adds. */
export interface SigningClient {
  credentials: ConnectorClient["credentials"];
  /** Headers botbuilder's pipeline puts on every request (user agent, accept …), taken once by `pipelineHeaders`. */
  headers: Record<string, string>;
}

/** Set per request by the pipeline: the bearer token (it expires) and the request's own id. */
const PER_REQUEST = new Set(["authorization", "x-ms-client-request-id"]);

/**
 * The headers botbuilder's ConnectorClient puts on a request, read from a request its own
 * pipeline prepares and hands to a stand-in HTTP client that sends nothing. This reaches
 * core-client's ServiceClient at the ConnectorClient's private `client`: the contract test
 * compares the requests on the wire and fails when that changes.
 */
export async function pipelineHeaders(client: ConnectorClient, url: string): Promise<Record<string, string>> {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) {
    throw new Error(
      "botbuilder's ConnectorClient no longer keeps core-client's ServiceClient at .client: update pipelineHeaders in src/teams/connector-api.ts",
    );
  }
  let seen: Record<string, string> = {};
  const capture: HttpClient = {
    sendRequest: async (request) => {
      seen = request.headers.toJSON();
      return { request, status: 200, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: "{}" };
    },
  };
  await pipeline.sendRequest(capture, createPipelineRequest({ url, method: "POST" }));
  return Object.fromEntries(Object.entries(seen).filter(([name]) => !PER_REQUEST.has(name.toLowerCase())));
}

/** Appends `path` to a service address as core-client does, whether or not the address ends in "/". */
export const serviceUrlPath = (serviceUrl: string, path: string) => `${serviceUrl.replace(/\/+$/, "")}/${path}`;

function decoded(body: Buffer, encoding: string | undefined): string {
  if (encoding === "gzip") return gunzipSync(body).toString("utf8");
  if (encoding === "deflate") return inflateSync(body).toString("utf8");
  return body.toString("utf8");
}

/** The answer's text as the service encoded it, and its JSON: undefined where either cannot be read. */
function read(answer: Answer): { text: string; json?: { id?: unknown; error?: { code?: string } } } {
  let text: string;
  try {
    text = decoded(answer.body, answer.headers["content-encoding"]);
  } catch {
    return { text: "" };
  }
  try {
    return { text, json: JSON.parse(text) ?? undefined };
  } catch {
    return { text };
  }
}

/**
 * Bot Connector sends and updates (every outbox message to Teams): one JSON request on a
 * kept-alive connection (src/http/exchange.ts), with the headers, token and body botbuilder's
 * ConnectorClient sends; the token is the library's (its credentials and their token cache).
 * Sent once: the outbox retries, honouring Retry-After, where the client's pipeline would have
 * retried inside the call. botbuilder's pipeline (policies, the Activity mapper walk, the
 * compat layer) was about half of a proactive send's CPU.
 */
export function createConnectorApi(options: { timeoutMs: number }) {
  const exchange = createExchange(options);

  /**
   * The service's answer to a 2xx; its `id` is undefined when the answer names none or cannot
   * be read (an update needs none; a send must not take that as an empty id: see proactive.ts).
   */
  async function call(
    client: SigningClient,
    method: "POST" | "PUT",
    url: string,
    body: unknown,
    extraHeaders?: Record<string, string>,
  ): Promise<ResourceResponse> {
    const signed: Record<string, string> = {};
    // The credentials decide whether and how to sign (no app id: no token), as in the pipeline.
    await client.credentials.signRequest({
      url,
      method,
      headers: {
        set: (name: string, value: string) => {
          signed[name.toLowerCase()] = value;
        },
      },
    } as never);
    const target = new URL(url);
    const headers = {
      "content-type": "application/json; charset=utf-8",
      ...client.headers,
      ...extraHeaders,
      "x-ms-client-request-id": randomUUID(),
      ...signed,
    };
    let answer: Answer;
    try {
      answer = await exchange(target, method, headers, JSON.stringify(body));
    } catch (error) {
      const { message, code } = error as NodeJS.ErrnoException;
      throw new ConnectorCallError(`${method} ${target.pathname}: ${message}`, { code });
    }
    const { status } = answer;
    const { text, json } = read(answer);
    if (status < 200 || status >= 300) {
      const code = json?.error?.code;
      throw new ConnectorCallError(`${method} ${target.pathname}: HTTP ${status}${code ? ` ${code}` : ""}`, {
        statusCode: status,
        code,
        headers: answer.headers,
        body: text,
      });
    }
    return typeof json?.id === "string" ? { id: json.id } : {};
  }

  return { call };
}

export type ConnectorApi = ReturnType<typeof createConnectorApi>;
