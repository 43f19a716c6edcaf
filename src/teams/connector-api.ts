import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { gunzipSync, inflateSync } from "node:zlib";
import { createHttpHeaders, createPipelineRequest, type HttpClient, type Pipeline } from "@azure/core-rest-pipeline";
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

/**
 * Bot Connector sends and updates (every outbox message to Teams): one JSON request on a
 * kept-alive connection, with the headers, token and body botbuilder's ConnectorClient
 * sends; the token is the library's (its credentials and their token cache). Sent once:
 * the outbox retries, honouring Retry-After, where the client's pipeline would have
 * retried inside the call. botbuilder's pipeline (policies, the Activity mapper walk, the
 * compat layer) was about half of a proactive send's CPU.
 */
export function createConnectorApi(options: { timeoutMs: number }) {
  // A handful of kept-alive connections per protocol: a TLS handshake per message costs more than the message.
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) };

  async function call(
    client: SigningClient,
    method: "POST" | "PUT",
    url: string,
    body: unknown,
    extraHeaders?: Record<string, string>,
    fresh = false,
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
    const payload = JSON.stringify(body);
    const target = new URL(url);
    const secure = target.protocol === "https:";
    return new Promise<ResourceResponse>((resolve, reject) => {
      const request = (secure ? https : http).request(
        target,
        {
          method,
          agent: secure ? agents.https : agents.http,
          headers: {
            "content-type": "application/json; charset=utf-8",
            ...client.headers,
            ...extraHeaders,
            "x-ms-client-request-id": randomUUID(),
            ...signed,
            "content-length": Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error: NodeJS.ErrnoException) =>
            reject(new ConnectorCallError(`${method} ${target.pathname}: ${error.message}`, { code: error.code })),
          );
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            let text: string;
            try {
              text = decoded(Buffer.concat(chunks), response.headers["content-encoding"]);
            } catch {
              text = "";
            }
            if (status < 200 || status >= 300) {
              let code: string | undefined;
              try {
                code = (JSON.parse(text) as { error?: { code?: string } })?.error?.code;
              } catch {
                code = undefined;
              }
              reject(
                new ConnectorCallError(`${method} ${target.pathname}: HTTP ${status}${code ? ` ${code}` : ""}`, {
                  statusCode: status,
                  code,
                  headers: response.headers,
                  body: text,
                }),
              );
              return;
            }
            try {
              resolve(text ? (JSON.parse(text) as ResourceResponse) : {});
            } catch {
              resolve({});
            }
          });
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the service closed while idle fails the first request on it
        // before the service saw it (Node's documented case for `reusedSocket`): once more, fresh.
        if (!fresh && request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
          call(client, method, url, body, extraHeaders, true).then(resolve, reject);
          return;
        }
        reject(new ConnectorCallError(`${method} ${target.pathname}: ${error.message}`, { code: error.code }));
      });
      // A plain timer cleared when the exchange ends (cheaper than an AbortSignal per request).
      const timer = setTimeout(
        () => request.destroy(new DOMException(`no answer within ${options.timeoutMs} ms`, "TimeoutError")),
        options.timeoutMs,
      );
      request.once("close", () => clearTimeout(timer));
      request.end(payload);
    });
  }

  return { call };
}

export type ConnectorApi = ReturnType<typeof createConnectorApi>;
