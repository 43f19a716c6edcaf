import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createExchange } from "../../src/http/exchange.js";
import { loopbacks } from "../helpers/loopback.js";

const servers = loopbacks();
afterEach(() => servers.closeAll());

/** A loopback server answering the nth request (from 1) with `answer`, counting requests. */
async function serve(answer: (n: number, response: ServerResponse) => void) {
  const seen = { requests: 0 };
  const url = new URL("post", await servers.listen((response) => answer(++seen.requests, response)));
  return { seen, url };
}

const ok = (response: ServerResponse) => response.end('{"id":"1"}');

describe("the HTTP exchange of the platform callers", () => {
  const exchange = () => createExchange({ timeoutMs: 5_000 });

  it("answers with every status and the whole body", async () => {
    const { url } = await serve((_, response) => {
      response.writeHead(503, { "retry-after": "3" });
      response.end("busy");
    });
    const answer = await exchange()(url, "POST", {}, "{}");
    expect([answer.status, answer.headers["retry-after"], answer.body.toString()]).toEqual([503, "3", "busy"]);
  });

  it("sends once more on a new connection when a reused one is reset before any answer", async () => {
    // The second request comes on the connection the first left open, which the server drops.
    const { seen, url } = await serve((n, response) => (n === 2 ? response.socket?.destroy() : ok(response)));
    const send = exchange();
    await send(url, "POST", {}, "{}");
    expect((await send(url, "POST", {}, "{}")).status).toBe(200);
    expect(seen.requests).toBe(3);
  });

  it("never sends again once part of an answer arrived before the reset: the server has the request", async () => {
    const { seen, url } = await serve((n, response) => {
      const socket = response.socket!;
      if (n === 2) socket.write("HTTP/1.1 200 OK\r\n", () => socket.destroy());
      else ok(response);
    });
    const send = exchange();
    await send(url, "POST", {}, "{}");
    const error = await send(url, "POST", {}, "{}").catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: "ECONNRESET" });
    expect(seen.requests).toBe(2);
  });
});
