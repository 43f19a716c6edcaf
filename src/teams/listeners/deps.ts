import type { InteractionDeps } from "../../chat/interactions/outcome.js";
import type { DeliveryLog } from "../../core/ports.js";
import type { Logger } from "../../logger.js";
import type { TeamsContacts } from "../contacts.js";
import type { Conversations } from "../conversations.js";

/** What every Teams listener gets. */
export interface TeamsListenerDeps {
  interaction: InteractionDeps;
  conversations: Conversations;
  deliveries: DeliveryLog;
  log: Logger;
  /** Each user's directory address, read from the roster at most weekly. */
  contacts: TeamsContacts;
  contactEmail?: string;
}
