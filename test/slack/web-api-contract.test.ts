import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { classifySlackError } from "../../src/slack/outbound.js";
import { createSlackApi } from "../../src/slack/web-api.js";

/**
 * Our Web API caller exists only because it costs less than half the CPU of the WebClient
 * on the hot paths; it is kept honest here: against the same loopback answers, its errors
 * carry what the WebClient's do (the fields classifySlackError and the logs read). When this
 * fails after upgrading @slack/bolt (@slack/web-api), make src/slack/web-api.ts's
 * SlackCallError match the new shape, or drop the caller for the WebClient.
 */

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A loopback stand-in for slack.com/api that answers every call with `reply`. */
async function standIn(reply: (response: ServerResponse) => void): Promise<string> {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => reply(response));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/`;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };

/** Both callers' failure for one call to `apiUrl`. */
async function failures(apiUrl: string) {
  const ours = createSlackApi({ botToken: "xoxb-test", apiUrl, timeoutMs: 2_000 });
  // No retries and 429s thrown, as the outbox wants them (it retries, never the client).
  const theirs = new webApi.WebClient("xoxb-test", {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
  const ourError = await ours.call("chat.postMessage", { channel: "C1", text: "x" }).then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );
  const theirError = await theirs.chat.postMessage({ channel: "C1", text: "x" }).then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );
  expect(ourError).toBeInstanceOf(Error);
  expect(theirError).toBeInstanceOf(Error);
  return { ours: ourError!, theirs: theirError! };
}

describe("our Slack Web API caller against the WebClient", () => {
  it("fails alike on a platform error (HTTP 200, ok: false)", async () => {
    const { ours, theirs } = await failures(await standIn(json(200, { ok: false, error: "channel_not_found" })));
    expect(ours.code).toBe(theirs.code);
    expect((ours.data as { error?: string }).error).toBe((theirs.data as { error?: string }).error);
    expect(ours.data).toMatchObject({ ok: false, error: "channel_not_found" });
    expect(classifySlackError(ours)).toEqual(classifySlackError(theirs));
  });

  it("fails alike on a rate limit (429 with Retry-After)", async () => {
    const { ours, theirs } = await failures(await standIn(json(429, { ok: false, error: "ratelimited" }, { "retry-after": "7" })));
    expect(ours.code).toBe(theirs.code);
    expect(ours.retryAfter).toBe(theirs.retryAfter);
    expect(ours.retryAfter).toBe(7);
    expect(classifySlackError(ours)).toEqual(classifySlackError(theirs));
  });

  it("fails alike on an HTTP 5xx", async () => {
    const { ours, theirs } = await failures(await standIn(json(503, { ok: false })));
    expect(ours.code).toBe(theirs.code);
    expect(ours.statusCode).toBe(theirs.statusCode);
    expect(ours.statusCode).toBe(503);
    expect(classifySlackError(ours).kind).toBe(classifySlackError(theirs).kind);
    expect(classifySlackError(ours).kind).toBe("transient");
  });

  it("fails alike when no answer comes (connection reset)", async () => {
    const { ours, theirs } = await failures(await standIn((response) => response.socket?.destroy()));
    expect(ours.code).toBe(theirs.code);
    expect(ours.original).toBeInstanceOf(Error);
    expect(theirs.original).toBeInstanceOf(Error);
    expect(classifySlackError(ours).kind).toBe(classifySlackError(theirs).kind);
    expect(classifySlackError(ours).kind).toBe("transient");
  });
});

describe("users.info through our caller and the WebClient", () => {
  it("sends the same form-encoded request (Slack's read methods take no JSON) and reads the same profile", async () => {
    const seen: Array<{ url: string; type: string; body: string; authorization: string }> = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        seen.push({
          url: request.url ?? "",
          type: String(request.headers["content-type"] ?? ""),
          body: Buffer.concat(chunks).toString("utf8"),
          authorization: String(request.headers.authorization ?? ""),
        });
        json(200, { ok: true, user: { id: "U0123ABCD", tz: "America/Chicago", profile: { email: "pat@army.mil" } } })(response);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    const ours = createSlackApi({ botToken: "xoxb-test", apiUrl, timeoutMs: 2_000 });
    const theirs = new webApi.WebClient("xoxb-test", { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });

    const ourAnswer = await ours.call("users.info", { user: "U0123ABCD" });
    const theirAnswer = await theirs.users.info({ user: "U0123ABCD" });
    expect(seen).toHaveLength(2);
    const [ourCall, theirCall] = seen;
    expect(ourCall?.url).toBe(theirCall?.url);
    expect(ourCall?.url).toBe("/api/users.info");
    expect(ourCall?.type.split(";")[0]).toBe(theirCall?.type.split(";")[0]);
    expect(ourCall?.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(ourCall?.authorization).toBe(theirCall?.authorization);
    // The WebClient adds its own team_id-less defaults; the fields that matter are the same.
    expect(new URLSearchParams(ourCall?.body).get("user")).toBe(new URLSearchParams(theirCall?.body).get("user"));
    expect((ourAnswer.user as { tz?: string }).tz).toBe(theirAnswer.user?.tz);
    expect((ourAnswer.user as { profile?: { email?: string } }).profile?.email).toBe(theirAnswer.user?.profile?.email);
  });
});
