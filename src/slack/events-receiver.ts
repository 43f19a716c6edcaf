import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { App, Logger as BoltLogger, BufferedIncomingMessage, Receiver } from "@slack/bolt";
import { answerJsonError } from "../http/errors.js";
import { errorSummary, type Logger } from "../logger.js";
import { bolt } from "./bolt.js";
import { EVENTS_PATH } from "./ids.js";

const { HTTPModuleFunctions: boltHttp, HTTPResponseAck, isValidSlackRequest } = bolt;

import { withinReplayWindow } from "./timestamp-guard.js";

export interface EventsReceiverOptions {
  signingSecret: string;
  /** What Bolt's ack and error handler log through. */
  boltLogger: BoltLogger;
  log: Logger;
  now?: () => number;
}

/**
 * `POST /slack/events` on the bot's shared server, answered ahead of Express: Express's
 * router and Bolt's ExpressReceiver middleware chain cost about a third of a `/ma new`'s
 * CPU (issue 25). The steps are Bolt's own, in the ExpressReceiver's order, through Bolt's
 * public functions (body read with its size limit, `isValidSlackRequest`, its body parser,
 * `HTTPResponseAck`, its event error handler), plus ours: the replay window in both
 * directions before the body is read, and errors answered as `{"error": "..."}` like every
 * other route, logged without the body or a parser's message (which quotes it).
 */
export class SlackEventsReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: EventsReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  // The shared server is the bot's to start and stop, not Bolt's.
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Answers `POST /slack/events` (query string allowed) and hands every other request to `next`. */
  route(next: RequestListener): RequestListener {
    return (req, res) => {
      if (req.method === "POST" && isEventsUrl(req.url)) this.handle(req, res);
      else next(req, res);
    };
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.receive(req, res).catch((error: unknown) => {
      this.options.log.error({ err: errorSummary(error) }, "Slack request failed");
      if (res.headersSent) res.destroy();
      else answerJsonError(res, 500);
    });
  }

  private refuse(res: ServerResponse, status: number, reason: string): void {
    this.options.log.warn({ status, path: EVENTS_PATH }, reason);
    answerJsonError(res, status);
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { signingSecret, boltLogger, now = Date.now } = this.options;
    const timestamp = req.headers["x-slack-request-timestamp"];
    if (!withinReplayWindow(timestamp, now())) {
      this.refuse(res, 401, "Request verification failed: timestamp outside the replay window");
      return;
    }
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await boltHttp.bufferIncomingMessage(req, boltHttp.defaultBodyLimit);
    } catch (error) {
      const tooLarge = boltHttp.isRawBodyError(error) && (error.type === "entity.too.large" || error.statusCode === 413);
      if (tooLarge) this.refuse(res, 413, "Request body exceeded the maximum allowed size");
      else this.refuse(res, 400, "Failed to read request body");
      return;
    }
    const signature = req.headers["x-slack-signature"];
    const signed =
      typeof signature === "string" &&
      isValidSlackRequest({
        signingSecret,
        body: buffered.rawBody.toString(),
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(timestamp) },
        nowMilliseconds: now(),
      });
    if (!signed) {
      this.refuse(res, 401, "Request verification failed");
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = boltHttp.parseHTTPRequestBody(buffered);
    } catch {
      this.refuse(res, 400, "Parsing request body failed");
      return;
    }
    if (body.ssl_check) {
      boltHttp.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === "url_verification") {
      boltHttp.buildUrlVerificationResponse(res, body);
      return;
    }
    const ack = new HTTPResponseAck({
      logger: boltLogger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await this.app?.processEvent({
        body,
        ack: ack.bind(),
        retryNum: boltHttp.extractRetryNumFromHTTPRequest(req),
        retryReason: boltHttp.extractRetryReasonFromHTTPRequest(req),
        customProperties: {},
      });
    } catch (error) {
      const answered = await boltHttp.defaultProcessEventErrorHandler({
        error: error instanceof Error ? error : new Error(String(error)),
        logger: boltLogger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      // As Bolt's receivers do: an answered request is acknowledged, so its no-ack timer never fires.
      if (answered) ack.ack();
    }
  }
}

function isEventsUrl(url: string | undefined): boolean {
  if (!url?.startsWith(EVENTS_PATH)) return false;
  return url.length === EVENTS_PATH.length || url[EVENTS_PATH.length] === "?";
}
