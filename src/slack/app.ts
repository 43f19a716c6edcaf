import { App, type Logger as BoltLogger, ExpressReceiver, LogLevel } from "@slack/bolt";
import { Router as createRouter, type Router } from "express";
import type { DeliveryFailure } from "../chat/announce.js";
import { type AnnounceDeps, announceMove, announceNewRequest, type ChatChannel, refreshTriageCards } from "../chat/announce.js";
import { parseCommand } from "../chat/commands.js";
import { moveFormView, moveFromForm, requestFormView } from "../chat/forms.js";
import { handleCommand } from "../chat/handle-command.js";
import { failureView, noticeView, triageCardView } from "../chat/present.js";
import { handleReminderAction, isReminderAction } from "../chat/reminder-actions.js";
import { decodeRequestAction, type MessageView } from "../chat/views.js";
import type { CoreDeps } from "../core/deps.js";
import { isAppError } from "../core/errors.js";
import type { Actor } from "../core/model.js";
import type { ReminderOutbox } from "../core/ports.js";
import { checkMove, moveRequest } from "../core/requests/move-request.js";
import { facultyLoad } from "../core/requests/queries.js";
import { submitRequest } from "../core/requests/submit-request.js";
import { errorSummary, type Logger } from "../logger.js";
import { readModalValues, renderMessage, renderModal, renderNoticeModal } from "./blocks.js";
import { buildHomeView } from "./home.js";
import { actionFromId, EVENTS_PATH, formFromCallbackId, NEW_REQUEST_ACTION, SLASH_COMMAND } from "./ids.js";
import { timestampGuard } from "./timestamp-guard.js";

export interface SlackOptions {
  signingSecret?: string;
  botToken: string;
  /** Socket Mode instead of HTTP when set. */
  appToken?: string;
  apiUrl: string;
  triageChannel?: string;
  contactEmail?: string;
}

export interface SlackDeps {
  core: CoreDeps;
  outbox: ReminderOutbox;
  announce: AnnounceDeps;
  logger: Logger;
  options: SlackOptions;
}

export interface SlackAdapter {
  app: App;
  /** Mounted at POST /slack/events on the shared server (HTTP mode). */
  router?: Router;
  channel: ChatChannel;
  /** Socket Mode connects here; HTTP mode has nothing to start. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How long a view submission may work before answering Slack: the ack must arrive within
 * 3 s, so past this the modal shows "saving…" and is updated when the work ends.
 */
const ACK_BUDGET_MS = 2_000;
const PREFIX = `${SLASH_COMMAND} `;

/** The empty request form never changes: render it once, not on every `/ma new`. */
const BLANK_REQUEST_MODAL = renderModal(requestFormView());

function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: "slack" });
  return {
    debug: (...args) => child.debug(args.map(String).join(" ")),
    info: (...args) => child.info(args.map(String).join(" ")),
    warn: (...args) => child.warn(args.map(String).join(" ")),
    error: (...args) => child.error(args.map(String).join(" ")),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

type Outcome<T> = { done: true; value: T } | { done: true; error: unknown } | { done: false };

async function withinBudget<T>(work: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  const settled = work.then(
    (value): Outcome<T> => ({ done: true, value }),
    (error: unknown): Outcome<T> => ({ done: true, error }),
  );
  const outcome = await Promise.race([settled, late]);
  clearTimeout(timer);
  return outcome;
}

/** Slack errors that no retry will fix: the channel or the bot's access is gone. */
const PERMANENT_SLACK_ERRORS = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "account_inactive",
  "invalid_auth",
  "token_revoked",
  "user_not_found",
  "cannot_dm_bot",
  "restricted_action",
]);

export function classifySlackError(error: unknown): DeliveryFailure {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (coded?.code === "slack_webapi_rate_limited_error") return { kind: "rateLimited", retryAfterMs: (coded.retryAfter ?? 1) * 1000 };
  const reason = coded?.data?.error ?? coded?.code ?? "unknown";
  if (coded?.code === "slack_webapi_platform_error" && PERMANENT_SLACK_ERRORS.has(reason)) return { kind: "permanent", reason };
  return { kind: "transient", reason };
}

export function createSlackAdapter(deps: SlackDeps): SlackAdapter {
  const { core, options } = deps;
  const log = deps.logger.child({ component: "slack" });
  const clientOptions = {
    slackApiUrl: options.apiUrl,
    // No silent 30-minute retry storms: a call fails within 10 s, and is never retried by
    // the client (chat.postMessage has no idempotency key, so a retry could post twice).
    timeout: 10_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
  let router: Router | undefined;
  let app: App;
  if (options.appToken) {
    app = new App({
      token: options.botToken,
      appToken: options.appToken,
      socketMode: true,
      clientOptions,
      logger: boltLogger(deps.logger),
    });
  } else {
    router = createRouter();
    router.post(EVENTS_PATH, timestampGuard());
    const receiver = new ExpressReceiver({
      signingSecret: options.signingSecret ?? "",
      endpoints: EVENTS_PATH,
      router,
      processBeforeResponse: false,
      logger: boltLogger(deps.logger),
    });
    app = new App({ token: options.botToken, receiver, clientOptions, logger: boltLogger(deps.logger) });
  }
  const client = app.client;

  const resolveActor = (userId: string, teamId: string | undefined, displayName: string | undefined): Promise<Actor> =>
    core.people.resolve({ key: `slack:${userId}`, workspaceId: teamId, displayName });

  const channel: ChatChannel = {
    platform: "slack",
    commandPrefix: PREFIX,
    classifyError: classifySlackError,
    configuredTriageChannel: options.triageChannel,
    sendDirect: async (identityKey, view) => {
      await client.chat.postMessage({ channel: identityKey.slice("slack:".length), ...renderMessage(view) });
    },
    postCard: async (conversationId, view) => {
      const result = await client.chat.postMessage({ channel: conversationId, ...renderMessage(view) });
      return String(result.ts ?? "");
    },
    updateCard: async (ref, view) => {
      await client.chat.update({ channel: ref.conversationId, ts: ref.messageId, ...renderMessage(view) });
    },
  };

  /** Says something only the clicking user sees: in place when Slack gave a response_url, else by DM. */
  async function tellUser(body: { response_url?: string; user: { id: string } }, view: MessageView): Promise<void> {
    if (body.response_url) {
      await fetch(body.response_url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, ...renderMessage(view) }),
      });
    } else {
      await client.chat.postMessage({ channel: body.user.id, ...renderMessage(view) });
    }
  }

  function apology(error: unknown, context: Record<string, unknown>): MessageView {
    if (!isAppError(error)) log.error({ ...context, err: errorSummary(error) }, "slack handler failed");
    return failureView(error);
  }

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    // Slack needs the ack within 3 s: ack first, then look things up.
    await ack();
    const parsed = parseCommand(command.text);
    try {
      if (parsed.kind === "new") {
        // trigger_id expires 3 s after Slack sent it: open the modal before any database work.
        await client.views.open({ trigger_id: command.trigger_id, view: BLANK_REQUEST_MODAL });
        return;
      }
      const actor = await resolveActor(command.user_id, command.team_id, command.user_name);
      const isPersonal = command.channel_id.startsWith("D") || command.channel_name === "directmessage";
      const reply = await handleCommand(core, actor, parsed, {
        platform: "slack",
        conversationId: command.channel_id,
        isPersonal,
        prefix: PREFIX,
        contactEmail: options.contactEmail,
      });
      if (reply.kind === "form") {
        await client.views.open({ trigger_id: command.trigger_id, view: renderModal(reply.form) });
        return;
      }
      await respond({ response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral", ...renderMessage(reply.view) });
    } catch (error) {
      await respond({ response_type: "ephemeral", ...renderMessage(apology(error, { command: parsed.kind, user: command.user_id })) });
    }
  });

  app.view({ callback_id: /^ma_form_/, type: "view_submission" }, async ({ ack, body, view }) => {
    const formId = formFromCallbackId(view.callback_id);
    const values = readModalValues(view.state as Parameters<typeof readModalValues>[0]);
    const state = decodeRequestAction(view.private_metadata);
    const user = body.user;
    const actorPromise = resolveActor(user.id, user.team_id ?? body.team?.id, user.name);

    if (formId === "request" && !state) {
      // A retried delivery of the same submission carries the same view id and hash.
      const work = actorPromise.then((actor) =>
        submitRequest(core, { actor, raw: values, platform: "slack", idempotencyKey: `slack:view:${view.id}:${view.hash}` }),
      );
      const outcome = await withinBudget(work, ACK_BUDGET_MS);
      if (outcome.done && "value" in outcome && !outcome.value.ok) {
        await ack({ response_action: "errors", errors: outcome.value.fieldErrors });
        return;
      }
      const finish = async (
        result: Outcome<Awaited<typeof work>>,
        respondWith: (modal: ReturnType<typeof renderModal>) => Promise<unknown>,
      ) => {
        if (result.done && "value" in result && result.value.ok) {
          const { request, created } = result.value;
          await respondWith(
            renderNoticeModal(
              "Request received",
              noticeView(`Thank you. Your request is ${request.number}; you will get a message as it moves.`),
            ),
          );
          log.info({ request: request.number, user: user.id, created }, "request submitted");
          if (created) await announceNewRequest(deps.announce, request);
          return;
        }
        const error = result.done && "error" in result ? result.error : undefined;
        if (error) apology(error, { step: "submit", user: user.id });
        // Saving failed: the form comes back filled in, with a notice, so nothing typed is lost.
        await respondWith(
          renderModal(
            requestFormView({
              values,
              notice: "We could not save your request just now. Everything you typed is still here: press Submit to try again.",
            }),
          ),
        );
      };
      if (outcome.done) {
        await finish(outcome, (modal) => ack({ response_action: "update", view: modal }));
        return;
      }
      await ack({ response_action: "update", view: renderNoticeModal("Saving…", noticeView("Saving your request…")) });
      const late = await withinBudget(work, 60_000);
      await finish(late, (modal) => client.views.update({ view_id: view.id, view: modal }));
      return;
    }

    if (!formId || !state) {
      await ack();
      return;
    }
    const work = actorPromise.then(async (actor) => {
      const move = formId === "request" ? { kind: "edit" as const, raw: values } : moveFromForm(formId, values as Record<string, string>);
      return moveRequest(core, { actor, requestId: state.requestId, expectedVersion: state.version, move });
    });
    const outcome = await withinBudget(work, ACK_BUDGET_MS);
    if (
      outcome.done &&
      "error" in outcome &&
      isAppError(outcome.error, "INVALID_INPUT") &&
      Object.keys(outcome.error.fieldErrors).length > 0
    ) {
      await ack({ response_action: "errors", errors: outcome.error.fieldErrors });
      return;
    }
    if (outcome.done && "error" in outcome) {
      await ack({
        response_action: "update",
        view: renderNoticeModal("Not changed", apology(outcome.error, { step: formId, user: user.id })),
      });
      if (isAppError(outcome.error, "CONFLICT")) {
        const current = await core.requests.findById(state.requestId);
        if (current) await refreshTriageCards(deps.announce, current);
      }
      return;
    }
    await ack();
    let result: Awaited<typeof work>;
    try {
      // Past the ack budget the modal has closed: a late refusal reaches the user by DM.
      result = outcome.done && "value" in outcome ? outcome.value : await work;
    } catch (error) {
      await client.chat
        .postMessage({ channel: user.id, ...renderMessage(apology(error, { step: formId, user: user.id })) })
        .catch(() => {});
      return;
    }
    log.info({ request: result.request.number, user: user.id, move: formId }, "request moved");
    await announceMove(deps.announce, result.request, result.summary, result.notify);
  });

  app.action(NEW_REQUEST_ACTION, async ({ ack, body }) => {
    await ack();
    if ("trigger_id" in body && body.trigger_id) await client.views.open({ trigger_id: body.trigger_id, view: BLANK_REQUEST_MODAL });
  });

  app.action(/^ma_(?!new_request$)/, async ({ ack, body, action }) => {
    await ack();
    if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) return;
    const kind = actionFromId(action.action_id);
    if (kind && isReminderAction(kind)) {
      try {
        const actor = await resolveActor(body.user.id, body.user.team_id ?? body.team?.id, body.user.name);
        await tellUser(body, await handleReminderAction({ ...core, outbox: deps.outbox }, actor, kind, action.value ?? ""));
      } catch (error) {
        await tellUser(body, apology(error, { action: action.action_id, user: body.user.id })).catch(() => {});
      }
      return;
    }
    const value = decodeRequestAction(action.value ?? "");
    if (!kind || !value) return;
    try {
      const actor = await resolveActor(body.user.id, body.user.team_id ?? body.team?.id, body.user.name);
      let request: Awaited<ReturnType<typeof checkMove>>;
      try {
        request = await checkMove(core, { actor, requestId: value.requestId, expectedVersion: value.version, kind });
      } catch (error) {
        if (isAppError(error, "CONFLICT")) {
          // A stale card: redraw it everywhere, and show this user the current one.
          const current = await core.requests.findById(value.requestId);
          if (current) {
            await refreshTriageCards(deps.announce, current);
            await tellUser(body, {
              ...triageCardView(current),
              blocks: [
                { type: "text", text: `This request changed — here is the current card. ${error.message}` },
                ...triageCardView(current).blocks,
              ],
            });
            return;
          }
        }
        throw error;
      }
      if (kind === "deliver") {
        const result = await moveRequest(core, { actor, requestId: request.id, expectedVersion: request.version, move: { kind } });
        log.info({ request: result.request.number, user: body.user.id, move: kind }, "request moved");
        await announceMove(deps.announce, result.request, result.summary, result.notify);
        return;
      }
      const form =
        kind === "edit"
          ? requestFormView({ editing: request })
          : moveFormView(kind, request, { loads: kind === "accept" ? await facultyLoad(core, actor) : undefined });
      await client.views.open({ trigger_id: body.trigger_id, view: renderModal(form) });
    } catch (error) {
      await tellUser(body, apology(error, { action: action.action_id, user: body.user.id })).catch(() => {});
    }
  });

  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    try {
      const actor = await resolveActor(event.user, (body as { team_id?: string }).team_id, undefined);
      await client.views.publish({ user_id: event.user, view: await buildHomeView(core, actor, options.contactEmail) });
    } catch (error) {
      apology(error, { event: "app_home_opened", user: event.user });
    }
  });

  app.error(async (error) => {
    log.error({ err: errorSummary(error) }, "bolt error");
  });

  return {
    app,
    router,
    channel,
    start: async () => {
      if (options.appToken) await app.start();
    },
    stop: async () => {
      if (options.appToken) await app.stop();
    },
  };
}
