import type { CoreDeps } from "../../core/deps.js";
import type { FieldErrors } from "../../core/errors.js";
import type { ChatChannel } from "../channel.js";
import type { ReportUnexpected } from "../errors.js";
import { withBanner } from "../present.js";
import type { FormView, MessageView } from "../views.js";

/** What the interaction layer needs: the core, who can be told, and where to report. */
export interface InteractionDeps {
  core: CoreDeps;
  /** The platforms the bot speaks on: owed messages are addressed to these. */
  channels: readonly ChatChannel[];
  /** Called once owed messages are stored: the dispatcher sends them now, not at its next tick. */
  wake(): void;
  report: ReportUnexpected;
  /** One log line for an expected event worth an operator's eye (a rate limit reached): ids only. */
  warn?: (context: Record<string, string>, message: string) => void;
  /** The bot's own checks, one line each (`/ma status` for admins). */
  statusReport?: () => Promise<string[]>;
}

/**
 * What a submitted form or a clicked button comes to, for the adapter to show:
 * - invalid: the form again, filled in, with an error beside each field;
 * - form: a form to open (a move's inputs);
 * - done: a notice for the person who acted, and the card they should now see;
 * - stale: the request moved on since they saw it; here is the current card;
 * - refused: not allowed, not found, not possible now;
 * - failed: our fault (database down); the form comes back so nothing typed is lost.
 * A refused or failed move on a request carries `current`, the request's card as the person
 * sees it when it could be read: a platform that replaces the card acted on (Teams) shows
 * it again with the reason, so the card keeps its buttons.
 */
export type Outcome =
  | { kind: "invalid"; errors: FieldErrors; form: FormView }
  | { kind: "form"; form: FormView }
  | {
      kind: "done";
      notice: MessageView;
      card?: MessageView;
      /**
       * A reminder's button: `card` is the reminder as it now stands (still naming the case
       * and milestone). `replace`: the clicked message becomes it, for everyone (Mark done,
       * Undo). `confidential`: the notice is case data for the clicker only (Details
       * privately): never shown where others can read it.
       */
      reminder?: { card: MessageView; replace: boolean; confidential?: boolean };
    }
  | { kind: "stale"; notice: MessageView; current: MessageView }
  | { kind: "refused"; notice: MessageView; current?: MessageView }
  | { kind: "failed"; notice: MessageView; form?: FormView; current?: MessageView };

/** What to tell the person when an outcome is not a form: the current card when they saw an old one. */
export function outcomeMessage(outcome: Exclude<Outcome, { kind: "invalid" | "form" }>): MessageView {
  return outcome.kind === "stale" ? withBanner(outcome.current, outcome.notice.text) : outcome.notice;
}
