import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { classifySlackError, refusedTokenCode } from "../../src/slack/outbound.js";
import { createSlackApi, jsonBody } from "../../src/slack/web-api.js";

interface Seen {
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A loopback Web API that records each request and answers with `reply`. */
async function slack(reply: (response: ServerResponse) => void) {
  const seen: Seen[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({ url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      reply(response);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const api = createSlackApi({
    botToken: "xoxb-test",
    apiUrl: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/`,
    timeoutMs: 300,
  });
  return { api, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };

describe("the Slack Web API caller", () => {
  it("posts JSON with the bot token to the method's URL and returns Slack's answer", async () => {
    const { api, seen } = await slack(json(200, { ok: true, ts: "1700000000.000100" }));
    const answer = await api.call("chat.postMessage", { channel: "C1", text: "héllo <@U1>" });
    expect(answer.ts).toBe("1700000000.000100");
    expect(seen[0]).toMatchObject({ url: "/api/chat.postMessage", headers: { authorization: "Bearer xoxb-test" } });
    expect(seen[0]!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(seen[0]!.body)).toEqual({ channel: "C1", text: "héllo <@U1>" });
  });

  it("splices a view serialised ahead into the body as it is", async () => {
    const { api, seen } = await slack(json(200, { ok: true }));
    const view = { type: "modal", title: { type: "plain_text", text: 'a "quoted" title' } };
    await api.call("views.open", jsonBody({ trigger_id: "1.2.3" }, "view", JSON.stringify(view)));
    expect(JSON.parse(seen[0]!.body)).toEqual({ trigger_id: "1.2.3", view });
    expect(JSON.parse(jsonBody({}, "view", "{}").text)).toEqual({ view: {} });
  });

  it("fails the way the WebClient does, so the outbox sorts each failure alike", async () => {
    const limited = await slack(json(429, { ok: false, error: "ratelimited" }, { "retry-after": "7" }));
    const rateError = await limited.api.call("chat.postMessage", {}).catch((error: unknown) => error);
    expect(classifySlackError(rateError)).toEqual({ kind: "rateLimited", retryAfterMs: 7_000 });
    server!.close();

    const refused = await slack(json(200, { ok: false, error: "token_revoked" }));
    const tokenError = await refused.api.call("chat.postMessage", {}).catch((error: unknown) => error);
    expect(classifySlackError(tokenError)).toEqual({ kind: "permanent", reason: "token_revoked" });
    expect(refusedTokenCode(tokenError)).toBe("token_revoked");
    server!.close();

    const down = await slack(json(503, { ok: false }));
    expect(classifySlackError(await down.api.call("chat.update", {}).catch((error: unknown) => error))).toMatchObject({
      kind: "transient",
    });
  });

  it("gives up on a Web API that accepts and never answers, within its timeout", async () => {
    const { api } = await slack(() => {});
    const error = await api.call("chat.postMessage", {}).catch((failure: unknown) => failure);
    expect(classifySlackError(error)).toEqual({ kind: "transient", reason: "slack_webapi_request_error" });
  });

  it("sends a call once more on a new connection when the kept-alive one was closed under it", async () => {
    let answered = 0;
    const { api, seen } = await slack((response) => {
      answered++;
      // The second request arrives on the connection the first one left open: the server has
      // dropped it (as Slack's front ends do with idle connections) and resets it unanswered.
      // From the fourth on, every connection is reset.
      if (answered === 2 || answered >= 4) response.socket?.destroy();
      else json(200, { ok: true, view: { id: `V${answered}` } })(response);
    });
    expect(await api.call("views.open", { trigger_id: "t1" })).toMatchObject({ ok: true });
    expect(await api.call("views.open", { trigger_id: "t2" })).toMatchObject({ ok: true, view: { id: "V3" } });
    expect(seen.map((request) => JSON.parse(request.body).trigger_id)).toEqual(["t1", "t2", "t2"]);
    // Reset on the kept-alive connection, then again on a new one: not sent a third time; the
    // outbox decides, as for any transient failure.
    const error = await api.call("chat.postMessage", { n: 4 }).catch((failure: unknown) => failure);
    expect(classifySlackError(error)).toEqual({ kind: "transient", reason: "slack_webapi_request_error" });
    expect(seen.slice(3).map((request) => JSON.parse(request.body).n)).toEqual([4, 4]);
  });
});
