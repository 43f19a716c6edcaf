import { AdaptiveCardActionExecuteResponseType, Application, TeamsAdapter, type TurnState } from "@microsoft/teams-ai";
import { type Activity, ActivityTypes, CardFactory, type ConversationReference, MessageFactory, TurnContext } from "botbuilder";
import express, { type Router } from "express";
import {
  type AnnounceDeps,
  announceMove,
  announceNewRequest,
  type ChatChannel,
  type DeliveryFailure,
  refreshTriageCards,
} from "../chat/announce.js";
import { parseCommand } from "../chat/commands.js";
import { moveFormView, moveFromForm, requestFormView } from "../chat/forms.js";
import { handleCommand } from "../chat/handle-command.js";
import { helpView } from "../chat/help.js";
import { failureView, noticeView, requesterCardView, triageCardView } from "../chat/present.js";
import { handleReminderAction, isReminderAction } from "../chat/reminder-actions.js";
import { decodeRequestAction, type FormId, type MessageView } from "../chat/views.js";
import { realSleep, type Sleep } from "../core/clock.js";
import type { CoreDeps } from "../core/deps.js";
import { isAppError } from "../core/errors.js";
import type { Actor, MaRequest } from "../core/model.js";
import { isFaculty } from "../core/permissions.js";
import type { ConversationStore, DeliveryLog, ReminderOutbox } from "../core/ports.js";
import { checkMove, moveRequest } from "../core/requests/move-request.js";
import { facultyLoad } from "../core/requests/queries.js";
import { submitRequest } from "../core/requests/submit-request.js";
import { availableMoves } from "../core/requests/workflow.js";
import { errorSummary, type Logger } from "../logger.js";
import { type AdaptiveCard, renderCard, renderFormCard } from "./cards.js";
import { actionFromVerb, formFromVerb, MESSAGES_PATH } from "./ids.js";
import { loopbackOnly } from "./loopback-guard.js";
import { statusOf, withConnectorRetries } from "./retry.js";

export interface TeamsOptions {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  cloud: "public" | "usgov" | "usgov-dod";
  contactEmail?: string;
  /** Where Bot Framework signing keys are read (tests point it at loopback). */
  openIdMetadataUrl?: string;
}

export interface TeamsDeps {
  core: CoreDeps;
  outbox: ReminderOutbox;
  announce: AnnounceDeps;
  conversations: ConversationStore;
  deliveries: DeliveryLog;
  logger: Logger;
  options: TeamsOptions;
  sleep?: Sleep;
}

export interface TeamsAdapterHandle {
  router: Router;
  channel: ChatChannel;
  app: Application<TurnState>;
}

/**
 * TeamsAdapter whose activity processing we call ourselves: CloudAdapter.process() logs
 * errors to the console and echoes their text in the HTTP body.
 */
class ActivityAdapter extends TeamsAdapter {
  handle(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authorization, activity, logic);
  }
}

/** Bot Framework endpoints per cloud; GCC High and DoD tenants use the US Government cloud. */
function cloudSettings(cloud: TeamsOptions["cloud"]): Record<string, string> {
  if (cloud === "public") return {};
  const government = {
    ChannelService: "https://botframework.azure.us",
    ToChannelFromBotLoginUrl: "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us",
    ToChannelFromBotOAuthScope: "https://api.botframework.us",
    ToBotFromChannelTokenIssuer: "https://api.botframework.us",
    OAuthUrl: "https://api.botframework.azure.us",
    ToBotFromChannelOpenIdMetadataUrl: "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
    ToBotFromEmulatorOpenIdMetadataUrl:
      "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration",
  };
  return cloud === "usgov-dod" ? { ...government, OAuthUrl: "https://apiDoD.botframework.azure.us" } : government;
}

/** Teams answers that no retry will fix: the bot was removed, or there is nowhere to write. */
export function classifyTeamsError(error: unknown): DeliveryFailure {
  const status = statusOf(error);
  if (status === 429) {
    const header = (error as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.(
      "retry-after",
    );
    return { kind: "rateLimited", retryAfterMs: Number(header ?? 1) * 1000 };
  }
  if (status === 403 || status === 404)
    return { kind: "permanent", reason: status === 403 ? "bot removed or blocked (403)" : "conversation not found (404)" };
  const message = error instanceof Error ? error.message : "";
  if (/no (live|personal) Teams conversation/.test(message)) return { kind: "permanent", reason: message };
  return { kind: "transient", reason: status ? `HTTP ${status}` : ((error as Error)?.name ?? "error") };
}

const CHANNEL_NOTE = "I sent you the answer in our private chat.";

function cardActivity(card: AdaptiveCard, text?: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (text) activity.summary = text;
  return activity;
}

function withBanner(view: MessageView, text: string): MessageView {
  return { ...view, blocks: [{ type: "text", text: `⚠️ ${text}` }, ...view.blocks] };
}

export function createTeamsAdapter(deps: TeamsDeps): TeamsAdapterHandle {
  const { core, options, conversations } = deps;
  const log = deps.logger.child({ component: "teams" });
  const sleep = deps.sleep ?? realSleep;
  const appId = options.appId ?? "";
  const adapter = new ActivityAdapter({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: options.appPassword ?? "",
    MicrosoftAppTenantId: options.tenantId ?? "",
    MicrosoftAppType: options.appType ?? (options.tenantId ? "SingleTenant" : "MultiTenant"),
    ...cloudSettings(options.cloud),
    ...(options.openIdMetadataUrl
      ? { ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl }
      : {}),
  });
  const app = new Application<TurnState>({
    adapter,
    botAppId: appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });

  const identityOf = (activity: Activity) => `teams:${activity.from.aadObjectId ?? activity.from.id}`;
  const tenantOf = (activity: Activity) =>
    activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const actorOf = (activity: Activity): Promise<Actor> =>
    core.people.resolve({ key: identityOf(activity), workspaceId: tenantOf(activity), displayName: activity.from.name });
  const isPersonal = (activity: Activity) => (activity.conversation.conversationType ?? "personal") === "personal";

  /**
   * Where the bot can write later, without replying to anything: a channel message's
   * conversation id names its thread (";messageid=…"), and the bot posts new cards at the
   * top of the channel, not under whoever last spoke to it.
   */
  function storedReference(activity: Partial<Activity>): { conversationId: string; reference: string } {
    const reference = TurnContext.getConversationReference(activity);
    const conversationId = (reference.conversation?.id ?? "").split(";messageid=")[0] ?? "";
    reference.activityId = undefined;
    if (reference.conversation) reference.conversation = { ...reference.conversation, id: conversationId };
    return { conversationId, reference: JSON.stringify(reference) };
  }

  /** Remembers every conversation the bot is spoken to in. */
  async function rememberConversation(context: TurnContext): Promise<void> {
    const { activity } = context;
    const personal = isPersonal(activity);
    await conversations.save({
      platform: "teams",
      ...storedReference(activity),
      kind: activity.conversation.conversationType ?? "personal",
      identityKey: personal ? identityOf(activity) : undefined,
    });
  }

  /**
   * The adapter hands errors thrown inside a turn to the app's error handler, which only
   * logs them: a proactive send that failed would look sent. Carry the error out instead.
   */
  async function rethrowing(
    run: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: { error: unknown } | undefined;
    await run(async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  /** Runs `logic` in a stored conversation; a removed bot (403) marks it dead. */
  async function inConversation(conversationId: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const stored = await conversations.find("teams", conversationId);
    if (!stored || stored.dead) throw new Error("no live Teams conversation reference");
    const reference = JSON.parse(stored.reference) as Partial<ConversationReference>;
    try {
      await withConnectorRetries(() => rethrowing((wrapped) => adapter.continueConversationAsync(appId, reference, wrapped), logic), sleep);
    } catch (error) {
      if (statusOf(error) === 403) await conversations.markDead("teams", conversationId);
      throw error;
    }
  }

  const channel: ChatChannel = {
    platform: "teams",
    commandPrefix: "",
    classifyError: classifyTeamsError,
    sendDirect: async (identityKey, view) => {
      const personal = await conversations.findPersonal(identityKey);
      if (!personal) throw new Error("no personal Teams conversation with this user yet");
      await inConversation(personal.conversationId, async (context) => {
        await context.sendActivity(cardActivity(renderCard(view), view.text));
      });
    },
    postCard: async (conversationId, view) => {
      let id = "";
      await inConversation(conversationId, async (context) => {
        id = (await context.sendActivity(cardActivity(renderCard(view), view.text)))?.id ?? "";
      });
      return id;
    },
    updateCard: async (ref, view) => {
      await inConversation(ref.conversationId, async (context) => {
        await context.updateActivity({ ...cardActivity(renderCard(view), view.text), id: ref.messageId });
      });
    },
  };

  /** Sends to the user's 1:1 chat with the bot, opening one when none is stored yet. */
  async function sendPrivately(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    const identityKey = identityOf(context.activity);
    const personal = await conversations.findPersonal(identityKey);
    if (personal) {
      await inConversation(personal.conversationId, async (inner) => {
        await inner.sendActivity(activity);
      });
      return;
    }
    const source = context.activity;
    const tenantId = tenantOf(source);
    const parameters = {
      isGroup: false,
      bot: source.recipient,
      members: [source.from],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    };
    await rethrowing(
      (wrapped) => adapter.createConversationAsync(appId, source.channelId, source.serviceUrl, "", parameters as never, wrapped),
      async (inner) => {
        await conversations.save({ platform: "teams", ...storedReference(inner.activity), kind: "personal", identityKey });
        await inner.sendActivity(activity);
      },
    );
  }

  function apology(error: unknown, context: Record<string, unknown>): MessageView {
    if (!isAppError(error)) log.error({ ...context, err: errorSummary(error) }, "teams handler failed");
    return failureView(error);
  }

  /** Work after the invoke answer: the client waits for the answer, not for fan-out. */
  function inBackground(work: () => Promise<void>, context: Record<string, unknown>): void {
    void work().catch((error) => log.warn({ ...context, err: errorSummary(error) }, "teams follow-up failed"));
  }

  app.conversationUpdate("membersAdded", async (context) => {
    await rememberConversation(context);
    const botAdded = (context.activity.membersAdded ?? []).some((member) => member.id === context.activity.recipient.id);
    if (botAdded && isPersonal(context.activity)) {
      const view = helpView({ prefix: "", contactEmail: options.contactEmail, lead: "Hello! I'm Mission Assist." });
      await context.sendActivity(cardActivity(renderCard(view), view.text));
    }
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const { activity } = context;
    // Teams re-sends a turn it thinks timed out: answer each activity once.
    if (!(await deps.deliveries.firstTime(`teams:activity:${activity.id}`, core.clock.now()))) return;
    const parsed = parseCommand(activity.text ?? "");
    try {
      await rememberConversation(context);
      const actor = await actorOf(activity);
      const personal = isPersonal(activity);
      const reply = await handleCommand(core, actor, parsed, {
        platform: "teams",
        conversationId: storedReference(activity).conversationId,
        isPersonal: personal,
        prefix: "",
        contactEmail: options.contactEmail,
      });
      const outgoing =
        reply.kind === "form"
          ? cardActivity(renderFormCard(reply.form), reply.form.title)
          : cardActivity(renderCard(reply.view), reply.view.text);
      // In a channel, answers about requests and cases (CUI) go to the person's 1:1 chat.
      const answerHere =
        personal || (reply.kind === "message" && (reply.visibility === "channel" || ["help", "unknown", "usage"].includes(parsed.kind)));
      if (answerHere) {
        await context.sendActivity(outgoing);
        return;
      }
      await sendPrivately(context, outgoing);
      await context.sendActivity(CHANNEL_NOTE);
    } catch (error) {
      const view = apology(error, { command: parsed.kind });
      await context.sendActivity(view.text);
    }
  });

  async function currentCardFor(actor: Actor, request: MaRequest, banner: string): Promise<AdaptiveCard> {
    const view = isFaculty(actor)
      ? triageCardView(request)
      : requesterCardView(request, `${request.number}`, availableMoves(actor, request));
    return renderCard(withBanner(view, banner));
  }

  async function refusalCard(
    actor: Actor,
    requestId: string | undefined,
    error: unknown,
    context: Record<string, unknown>,
  ): Promise<AdaptiveCard> {
    const message = apology(error, context);
    const current = requestId ? await core.requests.findById(requestId).catch(() => undefined) : undefined;
    if (current && isAppError(error, "CONFLICT")) inBackground(() => refreshTriageCards(deps.announce, current), { step: "refresh" });
    if (current && isAppError(error) && error.code !== "NOT_FOUND") return currentCardFor(actor, current, message.text);
    return renderCard(withBanner(noticeView("Nothing was changed."), message.text));
  }

  async function submitForm(context: TurnContext, formId: FormId, data: Record<string, unknown>): Promise<AdaptiveCard> {
    const actor = await actorOf(context.activity);
    const state = decodeRequestAction(typeof data.state === "string" ? data.state : "");
    const { state: _state, ...values } = data;
    if (formId === "request" && !state) {
      try {
        const result = await submitRequest(core, {
          actor,
          raw: values,
          platform: "teams",
          // A resent invoke carries the same activity id: it returns the first request.
          idempotencyKey: `teams:activity:${context.activity.id}`,
        });
        if (!result.ok) return renderFormCard(requestFormView({ values, errors: result.fieldErrors }));
        const { request, created } = result;
        log.info({ request: request.number, created }, "request submitted");
        if (created) inBackground(() => announceNewRequest(deps.announce, request), { request: request.number });
        return renderCard(noticeView(`Thank you. Your request is ${request.number}; you will get a message as it moves.`));
      } catch (error) {
        apology(error, { step: "submit" });
        return renderFormCard(
          requestFormView({
            values,
            notice: "We could not save your request just now. Everything you typed is still here: press Submit to try again.",
          }),
        );
      }
    }
    if (!state) return renderCard(noticeView("This form has expired; start again."));
    const move = formId === "request" ? { kind: "edit" as const, raw: values } : moveFromForm(formId, values as Record<string, string>);
    try {
      const result = await moveRequest(core, { actor, requestId: state.requestId, expectedVersion: state.version, move });
      log.info({ request: result.request.number, move: move.kind }, "request moved");
      inBackground(() => announceMove(deps.announce, result.request, result.summary, result.notify), { request: result.request.number });
      return isFaculty(actor)
        ? renderCard(triageCardView(result.request, result.summary))
        : renderCard(noticeView(`${result.request.number}: ${result.summary}`));
    } catch (error) {
      if (isAppError(error, "INVALID_INPUT") && Object.keys(error.fieldErrors).length > 0) {
        const request = await core.requests.findById(state.requestId);
        if (request) {
          return renderFormCard(
            formId === "request"
              ? requestFormView({ editing: request, values, errors: error.fieldErrors })
              : moveFormView(formId, request, {
                  errors: error.fieldErrors,
                  values: values as Record<string, string>,
                  loads: formId === "accept" ? await facultyLoad(core, actor) : undefined,
                }),
          );
        }
      }
      return refusalCard(actor, state.requestId, error, { step: formId });
    }
  }

  async function clickButton(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<AdaptiveCard> {
    const kind = actionFromVerb(verb);
    if (kind && isReminderAction(kind)) {
      try {
        const actor = await actorOf(context.activity);
        return renderCard(
          await handleReminderAction({ ...core, outbox: deps.outbox }, actor, kind, typeof data.value === "string" ? data.value : ""),
        );
      } catch (error) {
        return renderCard(apology(error, { action: verb }));
      }
    }
    const value = decodeRequestAction(typeof data.value === "string" ? data.value : "");
    if (!kind || !value) return renderCard(noticeView("This button is no longer valid."));
    const actor = await actorOf(context.activity);
    try {
      const request = await checkMove(core, { actor, requestId: value.requestId, expectedVersion: value.version, kind });
      if (kind === "deliver") {
        const result = await moveRequest(core, { actor, requestId: request.id, expectedVersion: request.version, move: { kind } });
        inBackground(() => announceMove(deps.announce, result.request, result.summary, result.notify), { request: result.request.number });
        return renderCard(triageCardView(result.request, result.summary));
      }
      if (kind === "edit") return renderFormCard(requestFormView({ editing: request }));
      return renderFormCard(moveFormView(kind, request, { loads: kind === "accept" ? await facultyLoad(core, actor) : undefined }));
    } catch (error) {
      return refusalCard(actor, value.requestId, error, { action: verb });
    }
  }

  app.adaptiveCards.actionExecute<Record<string, unknown>>(/^ma_/, async (context, _state, data) => {
    const verb = String((context.activity.value as { action?: { verb?: string } } | undefined)?.action?.verb ?? "");
    const formId = formFromVerb(verb);
    return formId ? submitForm(context, formId, data) : clickButton(context, verb, data);
  });

  app.error(async (_context, error) => {
    log.error({ err: errorSummary(error) }, "teams turn failed");
  });

  const router = express.Router();
  const guards = appId ? [] : [loopbackOnly()];
  router.post(MESSAGES_PATH, ...guards, express.json({ limit: "1mb" }), async (req, res) => {
    const activity = req.body as Activity;
    if (!activity || typeof activity !== "object" || typeof activity.type !== "string") {
      res.status(400).json({ error: "not a Bot Framework activity" });
      return;
    }
    try {
      const authorization = String(req.headers.authorization ?? "");
      const invokeResponse = await adapter.handle(authorization, activity, (context) => app.run(context).then(() => undefined));
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
      else res.end();
    } catch (error) {
      // Never echo botbuilder's error text (it can name internals) to the caller.
      if (statusOf(error) === 401 || (error as Error)?.name === "AuthenticationError") {
        res.status(401).json({ error: "unauthorized" });
        return;
      }
      log.error({ err: errorSummary(error) }, "teams activity failed");
      res.status(500).json({ error: "internal error" });
    }
  });

  return { router, channel, app };
}
