import type { AppContext } from "./app.js";
import { createMailStore } from "./db/repositories/mail.js";
import { createMailBridge, type MailBridge } from "./mail/bridge.js";
import type { MailTransport } from "./mail/transport.js";

/** Tests: no polling (they run passes themselves), or another transport than MAIL_TRANSPORT's. */
export interface MailOptions {
  polling?: boolean;
  transport?: MailTransport;
}

/** The e-mail bridge over this context's database and platforms, when MAIL_TRANSPORT is set. */
export function mailBridgeFor(context: AppContext, options: MailOptions = {}): MailBridge | undefined {
  if (!context.config.MAIL_TRANSPORT) return undefined;
  const store = createMailStore(context.database);
  return createMailBridge({ ...context, store, wake: context.interaction.wake }, options.transport);
}
