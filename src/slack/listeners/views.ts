import type { App } from "@slack/bolt";
import { type Outcome, outcomeMessage } from "../../chat/interactions/outcome.js";
import { submitForm } from "../../chat/interactions/submit-form.js";
import { noticeView } from "../../chat/present.js";
import { readModalValues, renderModal, renderNoticeModal } from "../blocks.js";
import { formFromCallbackId } from "../ids.js";
import { type SlackListenerDeps, slackIdentity, tellUser } from "./deps.js";

/**
 * How long a submission may work before answering Slack: the ack must arrive within
 * 3 s, so past this the modal shows "saving…" and is updated when the work ends.
 */
const ACK_BUDGET_MS = 2_000;

type ModalAnswer = { response_action: "errors"; errors: Record<string, string> } | { response_action: "update"; view: unknown } | undefined;

/** What the modal does with an outcome: stay open with errors, turn into a notice, or close. */
function modalAnswer(isNew: boolean, outcome: Outcome): ModalAnswer {
  switch (outcome.kind) {
    case "invalid":
      return { response_action: "errors", errors: outcome.errors };
    case "form":
      return { response_action: "update", view: renderModal(outcome.form) };
    case "done":
      // A new request says where to follow it; a move closes its modal (the card shows it).
      return isNew ? { response_action: "update", view: renderNoticeModal("Request received", outcome.notice) } : undefined;
    case "failed":
      if (outcome.form) return { response_action: "update", view: renderModal(outcome.form) };
      return { response_action: "update", view: renderNoticeModal("Not changed", outcomeMessage(outcome)) };
    default:
      return { response_action: "update", view: renderNoticeModal("Not changed", outcomeMessage(outcome)) };
  }
}

/** The modal after a late result: errors can no longer be attached to inputs, so they lead the form. */
function lateModal(outcome: Outcome): unknown {
  if (outcome.kind === "invalid") {
    return renderModal({ ...outcome.form, notice: `Some fields need attention: ${Object.values(outcome.errors).join("; ")}` });
  }
  const answer = modalAnswer(true, outcome);
  return answer && "view" in answer ? answer.view : undefined;
}

export function register(app: App, deps: SlackListenerDeps): void {
  app.view({ callback_id: /^ma_form_/, type: "view_submission" }, async ({ ack, body, view }) => {
    const formId = formFromCallbackId(view.callback_id);
    if (!formId) {
      await ack();
      return;
    }
    const isNew = formId === "request" && view.private_metadata === "";
    const work = submitForm(deps.interaction, {
      identity: slackIdentity(body.user, body.team?.id),
      platform: "slack",
      formId,
      state: view.private_metadata,
      values: readModalValues(view.state as Parameters<typeof readModalValues>[0]),
      // A retried delivery of the same submission carries the same view id and hash.
      idempotencyKey: `slack:view:${view.id}:${view.hash}`,
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ACK_BUDGET_MS);
    });
    const outcome = await Promise.race([work, late]);
    clearTimeout(timer);
    if (outcome) {
      await ack(modalAnswer(isNew, outcome) as never);
      return;
    }
    // Past the budget: answer Slack now, and show the result when the work ends.
    if (isNew) await ack({ response_action: "update", view: renderNoticeModal("Saving…", noticeView("Saving your request…")) });
    else await ack();
    const finished = await work;
    if (isNew) {
      await deps.api.call("views.update", { view_id: view.id, view: lateModal(finished) });
    } else if (finished.kind !== "done" && finished.kind !== "invalid" && finished.kind !== "form") {
      // The modal has closed: a late refusal reaches the user by DM.
      await tellUser(deps, { user: body.user }, outcomeMessage(finished));
    }
  });
}
