import type { IncomingMessage, ServerResponse } from "node:http";
import type { Activity, TurnContext } from "botbuilder";
import express from "express";
import { answerHttpError, answerJsonError } from "../http/errors.js";
import { errorSummary, type Logger } from "../logger.js";
import { type ActivityPolicy, refusalOf } from "./activity-policy.js";
import type { ActivityAdapter } from "./bot-framework.js";
import { MESSAGES_PATH } from "./ids.js";
import { loopbackRefusal } from "./loopback-guard.js";
import { statusOf } from "./retry.js";

/** Answers one POST /api/messages on the bot's server. */
export type MessagesHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** POST /api/messages, with or without a query string: what the handler answers ahead of Express. */
export function isMessagesRequest(req: IncomingMessage): boolean {
  const url = req.url ?? "";
  return (
    req.method === "POST" && url.startsWith(MESSAGES_PATH) && (url.length === MESSAGES_PATH.length || url[MESSAGES_PATH.length] === "?")
  );
}

function answerJson(res: ServerResponse, status: number, body?: unknown): void {
  const json = body === undefined ? "" : JSON.stringify(body);
  const type = body === undefined ? {} : { "content-type": "application/json; charset=utf-8" };
  res.writeHead(status, { ...type, "content-length": Buffer.byteLength(json) });
  res.end(json);
}

/**
 * POST /api/messages, answered ahead of Express (as Slack's events are: its router and
 * response helpers cost a share of every card submit's CPU): verifies the caller (Bot
 * Framework token, or in local mode this machine only), reads the body with Express's own
 * JSON parser (1 MB, its errors answered and logged as every route's), refuses activities
 * the policy does not allow, runs the turn, and answers without echoing internal errors.
 */
export function messagesHandler(
  adapter: ActivityAdapter,
  policy: ActivityPolicy,
  run: (context: TurnContext) => Promise<void>,
  log: Logger,
): MessagesHandler {
  const parseJson = express.json({ limit: "1mb" });

  async function answer(res: ServerResponse, authorization: string, activity: Activity): Promise<void> {
    try {
      // The policy is applied once the caller is authenticated, so strangers learn nothing from it.
      let refusal: string | undefined;
      const invokeResponse = await adapter.handle(authorization, activity, async (context) => {
        refusal = refusalOf(policy, context.activity);
        if (!refusal) await run(context);
      });
      if (refusal) {
        log.warn({ reason: refusal }, "teams activity refused");
        answerJsonError(res, 403);
        return;
      }
      answerJson(res, invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error) {
      // Never echo botbuilder's error text (it can name internals) to the caller.
      if (statusOf(error) === 401 || (error as Error)?.name === "AuthenticationError") {
        answerJsonError(res, 401);
        return;
      }
      log.error({ err: errorSummary(error) }, "teams activity failed");
      answerJsonError(res, 500);
    }
  }

  return (req, res) => {
    const notLocal = policy.mode === "local" ? loopbackRefusal(req) : undefined;
    if (notLocal) {
      answerJsonError(res, notLocal);
      return;
    }
    // The parser takes Express's request and response, but reads only Node's.
    parseJson(req as express.Request, res as express.Response, (error?: unknown) => {
      if (error) {
        answerHttpError(res, error, log, MESSAGES_PATH);
        return;
      }
      const activity = (req as { body?: unknown }).body as Activity | undefined;
      if (!activity || typeof activity !== "object" || typeof activity.type !== "string") {
        answerJson(res, 400, { error: "not a Bot Framework activity" });
        return;
      }
      void answer(res, String(req.headers.authorization ?? ""), activity);
    });
  };
}
