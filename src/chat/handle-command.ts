import { lookupCase } from "../core/cases/lookup-case.js";
import { DEFAULT_UPCOMING_DAYS, upcoming } from "../core/cases/upcoming.js";
import { addDays, dayInZone } from "../core/dates.js";
import { endAway, setAway } from "../core/faculty/availability.js";
import { mySkills, setSkills } from "../core/faculty/skills.js";
import { addTemplate, listTemplates, removeTemplate } from "../core/faculty/templates.js";
import type { Actor, Platform } from "../core/model.js";
import { isAdmin } from "../core/permissions.js";
import type { IdentityInfo } from "../core/ports.js";
import { holdRequest, releaseRequest } from "../core/records/legal-hold.js";
import { listMyRequests, showRequest, triageQueue } from "../core/requests/queries.js";
import { REPORT_DEFAULT_DAYS, serviceReport } from "../core/service-levels/report.js";
import { listSubscriptions, subscribe, unsubscribe } from "../core/subscriptions/subscribe.js";
import { setTriageChannel } from "../core/triage/triage-channel.js";
import type { ChatCommand } from "./commands.js";
import { answerError, noteLimited } from "./errors.js";
import { readerZone } from "./format.js";
import { requestFormView } from "./forms.js";
import { helpView, unknownCommandLead, usageLead } from "./help.js";
import { homeView } from "./home.js";
import { userText } from "./inert.js";
import type { InteractionDeps } from "./interactions/outcome.js";
import { runMerge, runNote, runReopen } from "./lifecycle.js";
import { oweCardsToWaitingRequests } from "./owed.js";
import { myRequestsView, noticeView, queueView, requestDetailView } from "./present.js";
import { caseView, subscriptionsView, upcomingView } from "./present-cases.js";
import { reportView, statusChecksView } from "./present-report.js";
import { awayPeriodsView, skillsView, templatesView } from "./present-workbench.js";
import type { FormView, MessageView, Visibility } from "./views.js";

export interface ChatContext {
  platform: Platform;
  /** Where the command was typed. */
  conversationId: string;
  /** A 1:1 chat with the bot (Slack DM, Teams personal scope). */
  isPersonal: boolean;
  /** How commands are typed here: "/ma " on Slack, "" on Teams. */
  prefix: string;
  contactEmail?: string;
}

export type ChatReply =
  /**
   * `confidential` answers (requests, cases: CUI) are for the asker's eyes only: where a
   * platform cannot answer privately in a channel (Teams), they go to a 1:1 chat.
   */
  | { kind: "message"; view: MessageView; visibility: Visibility; confidential: boolean }
  /** Open the request form (Slack modal, Teams form card). */
  | { kind: "form"; form: FormView };

const privately = (view: MessageView): ChatReply => ({ kind: "message", view, visibility: "private", confidential: true });
/** Help and usage: private where the platform can, but nothing in it is confidential. */
const guidance = (view: MessageView): ChatReply => ({ kind: "message", view, visibility: "private", confidential: false });
const inChannel = (view: MessageView, shown: boolean): ChatReply =>
  shown ? { kind: "message", view, visibility: "channel", confidential: false } : guidance(view);

/**
 * Runs one typed command for one person and says what to show. Every rule is the core's;
 * this only picks the use case and the view. Refusals and failures come back as private
 * notices (unexpected ones reported), so this never throws.
 */
export async function handleCommand(
  deps: InteractionDeps,
  identity: IdentityInfo,
  command: ChatCommand,
  context: ChatContext,
): Promise<ChatReply> {
  const limited = commandLimitReached(deps, identity, command);
  if (limited) return privately(limited);
  try {
    return await run(deps, await deps.core.people.resolve(identity), command, context);
  } catch (error) {
    return privately(answerError(error, deps.report, { command: command.kind }));
  }
}

/**
 * Counts one typed command for this person; past the per-minute limit, what to tell them
 * (and one log line). Checked before any database work, so a flood costs a map lookup each.
 * Slack's `/ma new` opens its modal before anything else and asks here first.
 */
export function commandLimitReached(deps: InteractionDeps, identity: IdentityInfo, command: ChatCommand): MessageView | undefined {
  try {
    deps.core.limits?.commands.take(identity.key);
    return undefined;
  } catch (error) {
    noteLimited(deps, error, { limit: "commands", identity: identity.key, command: command.kind });
    return answerError(error, deps.report, { command: command.kind });
  }
}

const where = (actor: Actor, context: ChatContext) => ({
  actor,
  platform: context.platform,
  conversationId: context.conversationId,
  isPersonal: context.isPersonal,
});

async function run(interaction: InteractionDeps, actor: Actor, command: ChatCommand, context: ChatContext): Promise<ChatReply> {
  const { prefix } = context;
  const deps = interaction.core;
  switch (command.kind) {
    case "help":
      return guidance(helpView({ prefix, contactEmail: context.contactEmail }));
    case "unknown":
      return guidance(
        helpView({ prefix, contactEmail: context.contactEmail, lead: unknownCommandLead(command.text, prefix, command.suggestion) }),
      );
    case "usage":
      return guidance(noticeView(usageLead(command.command, command.problem, prefix)));
    case "new":
      return { kind: "form", form: requestFormView() };
    case "list":
      return privately(myRequestsView(await listMyRequests(deps, actor), prefix));
    case "show":
      return privately(requestDetailView(await showRequest(deps, actor, command.id), readerZone(actor, deps.timeZone)));
    case "queue":
      return privately(queueView(await triageQueue(deps, actor)));
    case "case":
      // Case data is CUI: always answered privately, never in the channel.
      return privately(caseView(await lookupCase(deps, actor, command.id)));
    case "upcoming": {
      const days = command.days ?? DEFAULT_UPCOMING_DAYS;
      return privately(upcomingView(await upcoming(deps, actor, days), days));
    }
    case "subscribe": {
      const result = await subscribe(deps, { ...where(actor, context), targetText: command.target });
      const text = result.changed
        ? `This conversation will get reminders for ${result.label}.`
        : `This conversation already gets reminders for ${result.label}.`;
      return inChannel(noticeView(text), result.changed);
    }
    case "unsubscribe": {
      const input = { ...where(actor, context), targetText: command.target, otherConversation: command.conversation };
      const result = await unsubscribe(deps, input);
      const place = command.conversation ? `${command.conversation}` : "This conversation";
      const text = result.changed
        ? `${place} will no longer get reminders for ${result.label}.`
        : `${place} was not subscribed to ${result.label}.`;
      return inChannel(noticeView(text), result.changed && !command.conversation);
    }
    case "subscriptions":
      return privately(subscriptionsView(await listSubscriptions(deps, { ...where(actor, context), all: command.all }), command.all));
    case "status": {
      if (!isAdmin(actor)) return privately(noticeView("Only an admin can see the bot's checks."));
      const lines = (await interaction.statusReport?.()) ?? ["The checks are not available here."];
      return privately(statusChecksView(lines));
    }
    case "report": {
      const to = command.to ?? dayInZone(deps.clock.now(), deps.timeZone);
      const from = command.from ?? addDays(to, -(REPORT_DEFAULT_DAYS - 1));
      return privately(reportView(await serviceReport(deps, actor, from, to)));
    }
    case "home":
      return privately(await homeView(deps, actor, { prefix, contactEmail: context.contactEmail }));
    case "templates":
      return privately(templatesView(await listTemplates(deps, actor), prefix));
    case "template-add": {
      const template = await addTemplate(deps, actor, { name: command.name, text: command.text });
      return privately(noticeView(`Saved reply "${userText(template.name)}" added. The Ask for information and Decline forms offer it.`));
    }
    case "template-remove":
      await removeTemplate(deps, actor, command.name);
      return privately(noticeView(`Saved reply "${userText(command.name)}" removed.`));
    case "away": {
      const input = { from: command.from, to: command.to, note: command.note, backup: command.backup };
      const periods = await setAway(deps, actor, input);
      return privately(
        awayPeriodsView(
          periods,
          "Noted. While you are away you are not suggested as lead, and nudges about your requests go to your backup or the admins. You are away:",
        ),
      );
    }
    case "away-off": {
      const ended = await endAway(deps, actor);
      return privately(noticeView(ended > 0 ? "Welcome back: you are no longer marked away." : "You were not marked away."));
    }
    case "skills": {
      if (command.tags.length === 0) return privately(skillsView(await mySkills(deps, actor), prefix, false));
      return privately(skillsView(await setSkills(deps, actor, command.tags), prefix, true));
    }
    case "hold": {
      const held = await holdRequest(deps, actor, command.id, command.why);
      const already = held.already ? " (it was held already; the reason is updated)" : "";
      return privately(noticeView(`${held.number} is on legal hold${already}: it will not be purged until released.`));
    }
    case "release": {
      const released = await releaseRequest(deps, actor, command.id);
      return privately(
        noticeView(released.wasHeld ? `${released.number} is released from legal hold.` : `${released.number} was not on legal hold.`),
      );
    }
    case "note":
      return privately(await runNote(interaction, actor, command));
    case "reopen":
      return privately(await runReopen(interaction, actor, command));
    case "merge":
      return privately(await runMerge(interaction, actor, command));
    case "triage-here":
      if (context.isPersonal) return guidance(noticeView("Run this in the channel faculty will triage from, not in a direct message."));
      await setTriageChannel(deps, actor, context.platform, context.conversationId);
      if ((await oweCardsToWaitingRequests(deps, context.platform, context.conversationId)) > 0) interaction.wake();
      return inChannel(noticeView("New Mission Assistance requests will be posted in this channel for faculty triage."), true);
  }
}
