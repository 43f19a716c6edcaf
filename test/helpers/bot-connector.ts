import type { Server } from "node:http";
import express from "express";
import { waitUntil } from "./wait.js";

export interface ConnectorCall {
  /** "send", "reply", "update" or "createConversation". */
  kind: string;
  conversationId: string;
  activityId?: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded Bot Framework JSON.
  body: Record<string, any>;
}

/**
 * A small stand-in for the Bot Connector service on loopback: records the activities the
 * bot sends and updates, answers with ids, and fails on request (429 with Retry-After, 403).
 */
export class BotConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private counter = 0;
  private failures: Array<{ status: number; retryAfter?: number }> = [];
  url = "";
  /** Roster reads (TeamsInfo.getMember), kept apart from `calls`: those are what the bot says. */
  readonly rosterReads: ConnectorCall[] = [];
  /** Directory facts by user id (`29:<aad>`), for the roster: who has an address. */
  members = new Map<string, { email?: string; userPrincipalName?: string }>();

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: "5mb" }));
    // The roster (TeamsInfo.getMember): answered before the refusals below, which are for what the bot sends.
    app.get("/v3/conversations/:conversationId/members/:userId", (req, res) => {
      this.rosterReads.push({ kind: "getMember", conversationId: req.params.conversationId, body: { userId: req.params.userId } });
      const member = this.members.get(req.params.userId) ?? {};
      res.json({ id: req.params.userId, name: "Member", aadObjectId: req.params.userId.replace(/^29:/, ""), ...member });
    });
    app.use((req, res, next) => {
      const failure = this.failures.shift();
      if (!failure) return next();
      if (failure.retryAfter !== undefined) res.setHeader("Retry-After", String(failure.retryAfter));
      this.calls.push({ kind: `refused ${failure.status}`, conversationId: req.path, body: {} });
      res
        .status(failure.status)
        .json({ error: { code: failure.status === 403 ? "BotNotInConversationRoster" : "Throttled", message: "refused" } });
    });
    app.post("/v3/conversations", (req, res) => {
      const conversationId = `a:personal-${++this.counter}`;
      this.calls.push({ kind: "createConversation", conversationId, body: req.body });
      res.json({ id: conversationId, activityId: `act-${this.counter}` });
    });
    app.post("/v3/conversations/:conversationId/activities", (req, res) => {
      const activityId = `act-${++this.counter}`;
      this.calls.push({ kind: "send", conversationId: req.params.conversationId, activityId, body: req.body });
      res.json({ id: activityId });
    });
    app.post("/v3/conversations/:conversationId/activities/:activityId", (req, res) => {
      const activityId = `act-${++this.counter}`;
      this.calls.push({ kind: "reply", conversationId: req.params.conversationId, activityId, body: req.body });
      res.json({ id: activityId });
    });
    app.put("/v3/conversations/:conversationId/activities/:activityId", (req, res) => {
      this.calls.push({ kind: "update", conversationId: req.params.conversationId, activityId: req.params.activityId, body: req.body });
      res.json({ id: req.params.activityId });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    const address = this.server?.address();
    this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
    return this;
  }

  failNext(status: number, options: { retryAfter?: number; count?: number } = {}): void {
    for (let index = 0; index < (options.count ?? 1); index++) this.failures.push({ status, retryAfter: options.retryAfter });
  }

  /** Outgoing messages (sends and replies). */
  messages(): ConnectorCall[] {
    return this.calls.filter((call) => call.kind === "send" || call.kind === "reply");
  }

  clear(): void {
    this.calls.length = 0;
  }

  waitFor(predicate: (call: ConnectorCall) => boolean, what: string): Promise<ConnectorCall> {
    return waitUntil(
      () => this.calls.find(predicate),
      () =>
        `Bot Connector stand-in never received ${what}; got ${this.calls.map((call) => `${call.kind}:${call.conversationId}`).join(", ")}`,
    );
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Text of every TextBlock and fact in a card, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: card JSON.
export function cardText(card: any): string {
  const parts: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: card JSON.
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    // A RichTextBlock's runs make one line of text.
    if (node.type === "RichTextBlock" && Array.isArray(node.inlines)) {
      parts.push(node.inlines.map((run: { text?: string }) => run.text ?? "").join(""));
      return;
    }
    if (typeof node.text === "string") parts.push(node.text);
    if (typeof node.title === "string") parts.push(node.title);
    if (typeof node.value === "string" && node.type === undefined) parts.push(node.value);
    for (const value of Object.values(node)) if (typeof value === "object") walk(value);
  };
  walk(card);
  return parts.join("\n");
}
