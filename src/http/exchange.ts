import http from "node:http";
import https from "node:https";

/** A whole answer: every status resolves, each caller classifies them its own way. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with its body, answered in full (see createExchange). */
export type Exchange = (url: URL, method: string, headers: http.OutgoingHttpHeaders, payload: string) => Promise<Answer>;

/** What a reset of a reused connection looks like to the client. */
const RESET = new Set(["ECONNRESET", "EPIPE"]);

/**
 * The HTTP exchange of the hand-written platform callers (src/slack/web-api.ts,
 * src/teams/connector-api.ts): one request on a kept-alive connection, its answer collected.
 * Rejects with the socket's own error when no whole answer arrived (refused, reset, or a
 * `TimeoutError` DOMException after `timeoutMs`); the callers turn it into their errors.
 */
export function createExchange(options: { timeoutMs: number }): Exchange {
  // A handful of kept-alive connections per protocol: a TLS handshake per message costs more than the message.
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) };

  const exchange = (url: URL, method: string, headers: http.OutgoingHttpHeaders, payload: string, fresh: boolean): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      const secure = url.protocol === "https:";
      const request = (secure ? https : http).request(
        url,
        { method, agent: secure ? agents.https : agents.http, headers: { ...headers, "content-length": Buffer.byteLength(payload) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        },
      );
      // Whether any byte of an answer arrived (the socket's data is the HTTP stream, decrypted
      // for TLS): then the server has seen the request, and it is never sent again.
      let socket: http.ClientRequest["socket"] = null;
      let answered = false;
      const heard = () => {
        answered = true;
      };
      request.once("socket", (assigned) => {
        socket = assigned;
        socket.on("data", heard);
      });
      request.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed while idle fails the first request sent on
        // it before the server saw it (Node's documented case for `reusedSocket`): sent once
        // more on a new connection, or a Slack `views.open` would lose its 3-second trigger.
        // A reset can also come after the server read the request, which the client cannot
        // tell apart: botbuilder's pipeline resends on ECONNRESET too (core-rest-pipeline's
        // exponential retry, any method), and so do we, once, and only while no byte of an
        // answer has arrived (a POST answered in part has been carried out: not sent again).
        if (!fresh && request.reusedSocket && !answered && RESET.has(error.code ?? "")) {
          exchange(url, method, headers, payload, true).then(resolve, reject);
          return;
        }
        reject(error);
      });
      // A plain timer cleared when the exchange ends, rather than `signal: AbortSignal.timeout()`:
      // the signal (an EventTarget, its listener on the request, a tracked timer) cost a
      // quarter of the call's CPU in an A/B of bench/caller.ts; the timer, next to nothing.
      const timer = setTimeout(
        () => request.destroy(new DOMException(`no answer within ${options.timeoutMs} ms`, "TimeoutError")),
        options.timeoutMs,
      );
      request.once("close", () => {
        clearTimeout(timer);
        // The connection goes back to the pool for other requests.
        socket?.off("data", heard);
      });
      request.end(payload);
    });

  return (url, method, headers, payload) => exchange(url, method, headers, payload, false);
}
