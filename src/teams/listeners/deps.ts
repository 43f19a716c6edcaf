import type { InteractionDeps } from "../../chat/interactions/outcome.js";
import type { DeliveryLog } from "../../core/ports.js";
import type { Logger } from "../../logger.js";
import type { Conversations } from "../conversations.js";

/** What every Teams listener gets. */
export interface TeamsListenerDeps {
  interaction: InteractionDeps;
  conversations: Conversations;
  deliveries: DeliveryLog;
  log: Logger;
  contactEmail?: string;
}
