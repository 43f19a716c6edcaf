import type { Server } from "node:http";
import express from "express";
import { waitUntil } from "./wait.js";

/** One call the bot made to the Slack Web API (or to a response_url). */
export interface RecordedCall {
  method: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON as Slack would receive it.
  body: Record<string, any>;
}

interface Failure {
  status: number;
  retryAfter?: number;
  error?: string;
  /** Only calls whose body matches are refused (e.g. one channel); others pass. */
  match?: (body: Record<string, unknown>) => boolean;
}

/** JSON-valued form fields the WebClient serialises. */
const JSON_FIELDS = ["blocks", "view", "attachments"];

/**
 * A small stand-in for Slack's Web API on loopback: records every call and answers the
 * way Slack does (`ok`, `ts`, `view.id`), or with a 429 when told to.
 */
export class SlackApiStandIn {
  readonly calls: RecordedCall[] = [];
  private server?: Server;
  private nextTs = 1_700_000_000;
  private failures = new Map<string, Array<Failure>>();
  url = "";

  async start(): Promise<this> {
    const app = express();
    app.use(express.urlencoded({ extended: true }));
    app.use(express.json());
    app.post("/api/:method", async (req, res) => {
      const method = req.params.method;
      const body: Record<string, unknown> = { ...req.body };
      for (const field of JSON_FIELDS) if (typeof body[field] === "string") body[field] = JSON.parse(body[field] as string);
      const queue = this.failures.get(method) ?? [];
      const index = queue.findIndex((candidate) => !candidate.match || candidate.match(body));
      const failure = index >= 0 ? queue.splice(index, 1)[0] : undefined;
      if (this.hanging) return; // accepts the connection, never answers
      if (this.answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerAfterMs));
      if (failure) {
        this.calls.push({ method: `${method} (refused ${failure.status})`, body });
        if (failure.retryAfter !== undefined) res.setHeader("Retry-After", String(failure.retryAfter));
        res.status(failure.status).json({ ok: false, error: failure.error ?? "ratelimited" });
        return;
      }
      this.calls.push({ method, body });
      res.setHeader("x-oauth-scopes", this.scopes.join(","));
      res.json(this.answer(method, body));
    });
    app.post("/response/:id", (req, res) => {
      this.calls.push({ method: "response_url", body: { ...req.body, id: req.params.id } });
      res.json({ ok: true });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    const address = this.server?.address();
    this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    return this;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0TEAM", user: "missionassist" };
      case "chat.postMessage":
      case "chat.update":
        return { ok: true, channel: body.channel, ts: method === "chat.update" ? body.ts : `${this.nextTs++}.000100` };
      case "conversations.open":
        // The bot's DM with a user: D + their id (a DM between two people has another id).
        return { ok: true, channel: { id: `D${String(body.users)}` } };
      case "conversations.info":
        return { ok: true, channel: { id: body.channel, is_member: this.memberOf.has(String(body.channel)) } };
      case "views.open":
      case "views.update":
      case "views.publish":
        return { ok: true, view: { id: body.view_id ?? `V${this.nextTs++}`, hash: "h1" } };
      case "users.info": {
        // As Slack answers: tz and profile.email only where the user has them (and the scopes allow).
        const profile = this.users.get(String(body.user)) ?? {};
        return {
          ok: true,
          user: {
            id: body.user,
            ...(profile.tz ? { tz: profile.tz, tz_label: "", tz_offset: 0 } : {}),
            profile: profile.email ? { email: profile.email } : {},
          },
        };
      }
      default:
        return { ok: true };
    }
  }

  /** When true, every Web API call is accepted and never answered (a hung Slack). */
  hanging = false;
  /** Every Web API call is answered this long after it arrived (a slow Slack); recorded when answered. */
  answerAfterMs = 0;
  /** The scopes the token has (the x-oauth-scopes header). */
  scopes = ["commands", "chat:write", "im:write", "channels:read", "groups:read", "users:read", "users:read.email"];
  /** Slack profiles by user id (users.info): a user not here has no tz and no address. */
  users = new Map<string, { tz?: string; email?: string }>();
  /** Channels the bot is a member of (conversations.info). */
  memberOf = new Set<string>();

  /** The next `count` calls of `method` (matching `match`, if given) fail with this status (429 carries Retry-After). */
  failNext(method: string, status: number, options: Omit<Failure, "status"> & { count?: number } = {}): void {
    const list = this.failures.get(method) ?? [];
    for (let index = 0; index < (options.count ?? 1); index++) list.push({ ...options, status });
    this.failures.set(method, list);
  }

  /** Slack is back: refusals still queued by `failNext` are dropped. */
  recover(): void {
    this.failures.clear();
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** Waits until a matching call has arrived (the bot works after its ack); bounded. */
  waitFor(predicate: (call: RecordedCall) => boolean, what: string): Promise<RecordedCall> {
    return waitUntil(
      () => this.calls.find(predicate),
      () => `Slack stand-in never received ${what}; got ${this.calls.map((call) => call.method).join(", ")}`,
    );
  }

  /**
   * The modal a view submission ends with: the one its ack carries, or, when the bot was past
   * its ack budget and answered "Saving…", the `views.update` of that view made after the
   * first `from` calls.
   */
  async finalModal<T extends { view?: unknown }>(answer: T, viewId: string, from: number): Promise<T> {
    if (!JSON.stringify(answer.view ?? "").includes("Saving your request")) return answer;
    const update = await this.waitFor(
      (call) => this.calls.indexOf(call) >= from && call.method === "views.update" && call.body.view_id === viewId,
      `the update of the "Saving…" modal ${viewId}`,
    );
    return { ...answer, view: update.body.view };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
