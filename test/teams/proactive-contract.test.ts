import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Activity, ConversationReference, TurnContext } from "botbuilder";
import { MicrosoftAppCredentials } from "botframework-connector";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createActivityAdapter } from "../../src/teams/bot-framework.js";
import { cardActivity } from "../../src/teams/cards.js";
import { storedReference } from "../../src/teams/conversations.js";
import { classifyTeamsError } from "../../src/teams/errors.js";
import { createProactive, proxyConfigured } from "../../src/teams/proactive.js";
import { retryAfterMs, statusOf } from "../../src/teams/retry.js";
import { type Conversation, messageActivity } from "../helpers/teams-activities.js";

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: Bot Framework JSON as sent.
  body: Record<string, any>;
}

/** Every request as the Bot Connector would receive it. */
let requests: Recorded[] = [];
let server: Server;
let serviceUrl = "";
/** The answer to every request while set: an error status, with headers and the service's error body. */
let refusal: { status: number; headers?: Record<string, string> } | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : {} });
      res.setHeader("content-type", "application/json");
      if (refusal) {
        res.writeHead(refusal.status, refusal.headers);
        res.end(
          JSON.stringify({ error: { code: refusal.status === 403 ? "BotNotInConversationRoster" : "Throttled", message: "refused" } }),
        );
        return;
      }
      res.end(JSON.stringify({ id: `sent-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`;
});
afterEach(() => {
  refusal = undefined;
  vi.restoreAllMocks();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What the two ways must agree on: the random continuation id botbuilder replies to, and each request's own id, differ by design. */
function comparable(request: Recorded, replyToId: string | undefined) {
  const { "x-ms-client-request-id": _id, ...headers } = request.headers;
  const { replyToId: _reply, ...body } = request.body;
  return {
    method: request.method,
    path: replyToId ? request.path.replace(encodeURIComponent(replyToId), "<replyToId>") : request.path,
    headers,
    body,
  };
}

const CHANGED =
  "botbuilder's proactive send no longer makes the request src/teams/proactive.ts copies: make addressed()/send()/update() " +
  "there build what continueConversationAsync + TurnContext.sendActivity/updateActivity now send (compare the two requests below)";

describe("proactive Teams sends (src/teams/proactive.ts) against botbuilder's continueConversationAsync", () => {
  const adapter = createActivityAdapter({ cloud: "public" });
  /** A conversation's reference as the bot stores it from an activity there. */
  const referenceIn = (conversation: Conversation) =>
    JSON.parse(
      storedReference(
        messageActivity(serviceUrl, { aad: "aad-contract", name: "Contract" }, conversation, "hi") as unknown as Partial<Activity>,
      ).reference,
    ) as Partial<ConversationReference>;
  const personal = () => referenceIn({ id: "a:dm-contract", type: "personal" });
  const inThread = (): Partial<ConversationReference> => {
    const reference = referenceIn({ id: "19:triage@thread.tacv2", type: "channel" });
    return { ...reference, conversation: { ...reference.conversation!, id: "19:triage@thread.tacv2;messageid=1700000000000" } };
  };
  const view = {
    text: "Request MA-2026-0001",
    blocks: [
      { type: "header" as const, text: "MA-2026-0001" },
      { type: "text" as const, text: "Hello" },
    ],
  };

  /** The request botbuilder makes in a continued turn, and the one ours makes, for the same call. */
  async function both(
    theirs: (context: TurnContext) => Promise<unknown>,
    ours: () => Promise<unknown>,
  ): Promise<[Recorded, Recorded, string | undefined, string | undefined]> {
    requests = [];
    await adapter.continueConversationAsync("", personal(), async (context) => {
      await theirs(context);
    });
    await ours();
    expect(requests, "one request each").toHaveLength(2);
    const [a, b] = requests as [Recorded, Recorded];
    return [a, b, a.body.replyToId, b.body.replyToId];
  }

  it("sends the same request as TurnContext.sendActivity in a continued conversation", async () => {
    const proactive = createProactive(adapter, "");
    for (const reference of [personal(), inThread()]) {
      requests = [];
      await adapter.continueConversationAsync("", reference, async (context) => {
        await context.sendActivity(cardActivity(view));
      });
      const id = await proactive.send(reference, cardActivity(view));
      const [theirs, ours] = requests as [Recorded, Recorded];
      expect(comparable(ours, ours.body.replyToId), CHANGED).toEqual(comparable(theirs, theirs.body.replyToId));
      // botbuilder addresses a proactive message as a reply to its continuation activity; ours too.
      expect(Boolean(ours.body.replyToId), CHANGED).toBe(Boolean(theirs.body.replyToId));
      expect(id).toBe(`sent-${requests.length}`);
    }
  });

  it("updates with the same request as TurnContext.updateActivity in a continued conversation", async () => {
    const proactive = createProactive(adapter, "");
    const [theirs, ours, theirReply, ourReply] = await both(
      (context) => context.updateActivity({ ...cardActivity(view), id: "msg-1" }),
      () => proactive.update(personal(), { ...cardActivity(view), id: "msg-1" }),
    );
    expect(theirs.method).toBe("PUT");
    expect(comparable(ours, ourReply), CHANGED).toEqual(comparable(theirs, theirReply));
  });

  it("makes one Bot Connector client per service address and reuses it", async () => {
    const made = vi.spyOn(adapter, "connectorClient");
    const proactive = createProactive(adapter, "");
    await proactive.send(personal(), cardActivity(view));
    await proactive.send(inThread(), cardActivity(view));
    await proactive.update(personal(), { ...cardActivity(view), id: "msg-1" } as Partial<Activity> & { id: string });
    expect(made).toHaveBeenCalledTimes(1);
    expect(made).toHaveBeenCalledWith("", serviceUrl);
    made.mockRestore();
  });

  it("gives up a client that could not be made, and makes it afresh on the next send", async () => {
    const made = vi.spyOn(adapter, "connectorClient").mockRejectedValueOnce(new Error("Invalid appId."));
    const proactive = createProactive(adapter, "");
    await expect(proactive.send(personal(), cardActivity(view))).rejects.toThrow("Invalid appId.");
    await expect(proactive.send(personal(), cardActivity(view))).resolves.toMatch(/^sent-/);
    expect(made).toHaveBeenCalledTimes(2);
    made.mockRestore();
  });
});

describe("the Bot Connector caller (src/teams/connector-api.ts) against botbuilder's ConnectorClient", () => {
  const reference = (url: string): Partial<ConversationReference> => ({
    ...(JSON.parse(
      storedReference(
        messageActivity(
          url,
          { aad: "aad-contract", name: "Contract" },
          { id: "a:dm-contract", type: "personal" },
          "hi",
        ) as unknown as Partial<Activity>,
      ).reference,
    ) as Partial<ConversationReference>),
    serviceUrl: url,
  });
  const view = { text: "Hello", blocks: [{ type: "text" as const, text: "Hello" }] };

  it("signs with the app's token from botbuilder's credentials, as the client does, for any form of service address", async () => {
    // MSAL is not reached from a test: the credentials' token lookup answers as its cache would.
    const token = vi.spyOn(MicrosoftAppCredentials.prototype, "getToken").mockResolvedValue("token-contract");
    const adapter = createActivityAdapter({ cloud: "public", appId: "app-contract", appPassword: "secret" });
    const proactive = createProactive(adapter, "app-contract");
    for (const url of [serviceUrl, serviceUrl.replace(/\/$/, "")]) {
      requests = [];
      await adapter.continueConversationAsync("app-contract", reference(url), async (context) => {
        await context.sendActivity(cardActivity(view));
      });
      await proactive.send(reference(url), cardActivity(view));
      const [theirs, ours] = requests as [Recorded, Recorded];
      expect(theirs.headers.authorization).toBe("Bearer token-contract");
      expect(comparable(ours, ours.body.replyToId), CHANGED).toEqual(comparable(theirs, theirs.body.replyToId));
    }
    expect(token).toHaveBeenCalled();
  });

  it("fails as the client does after its own retries: the same status, Retry-After and classification", async () => {
    const adapter = createActivityAdapter({ cloud: "public" });
    const client = await adapter.connectorClient("", serviceUrl);
    const proactive = createProactive(adapter, "");
    const conversationId = "a:dm-contract";
    // Retry-After 0 keeps botbuilder's own retries of 429 and 503 (throttling) immediate; a 502 waits its backoff.
    for (const answer of [
      { status: 429, headers: { "retry-after": "0" } },
      { status: 429, headers: { "retry-after": "7" }, theirsSkipped: true },
      { status: 503, headers: { "retry-after": "0" } },
      { status: 502 },
      { status: 403 },
      { status: 404 },
    ]) {
      refusal = answer;
      const ours = await proactive.send(reference(serviceUrl), cardActivity(view)).catch((error: unknown) => error);
      expect(statusOf(ours)).toBe(answer.status);
      expect(retryAfterMs(ours)).toBe(answer.headers ? Number(answer.headers["retry-after"]) * 1000 : undefined);
      // botbuilder would wait Retry-After (7 s) between its own tries: ours is read as its would be.
      if (answer.theirsSkipped) continue;
      const theirs = await client.conversations
        .sendToConversation(conversationId, cardActivity(view) as Activity)
        .catch((error: unknown) => error);
      const what = `HTTP ${answer.status}: src/teams/connector-api.ts must fail as botbuilder's RestError reads here`;
      expect(classifyTeamsError(ours), what).toEqual(classifyTeamsError(theirs));
      expect([statusOf(ours), retryAfterMs(ours)], what).toEqual([statusOf(theirs), retryAfterMs(theirs)]);
      expect((ours as { code?: string }).code, what).toBe((theirs as { code?: string }).code);
    }
  }, 30_000);

  it("fails a call nobody answers as transient, without botbuilder's client", async () => {
    const adapter = createActivityAdapter({ cloud: "public" });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await createProactive(adapter, "")
      .send(reference(url), cardActivity(view))
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({ kind: "REQUEST", code: "ECONNREFUSED" });
    expect(classifyTeamsError(error).kind).toBe("transient");
  });

  it("sends through botbuilder's client, which honours it, when the environment names a proxy", async () => {
    expect(proxyConfigured({})).toBe(false);
    expect(proxyConfigured({ https_proxy: "http://proxy:8080" })).toBe(true);
    expect(proxyConfigured({ HTTP_PROXY: "http://proxy:8080" })).toBe(true);
    const adapter = createActivityAdapter({ cloud: "public" });
    const client = await adapter.connectorClient("", serviceUrl);
    vi.spyOn(adapter, "connectorClient").mockResolvedValue(client);
    const viaClient = vi.spyOn(client.conversations, "replyToActivity");
    requests = [];
    await createProactive(adapter, "", { viaClient: true }).send(reference(serviceUrl), cardActivity(view));
    expect(viaClient).toHaveBeenCalledTimes(1);
    expect(requests).toHaveLength(1);
  });
});
