import type { AppContext } from "./app.js";
import type { MailBridge } from "./mail/bridge.js";
import type { MailTransport } from "./mail/transport.js";

/** Tests: no polling (they run passes themselves), or another transport than MAIL_TRANSPORT's. */
export interface MailOptions {
  polling?: boolean;
  transport?: MailTransport;
}

/**
 * The e-mail bridge over this context's database and platforms, when MAIL_TRANSPORT is set.
 * Loaded only then: the bridge brings the IMAP/SMTP client, the mail parser and the calendar
 * writer, which a bot without a mailbox would otherwise load and hold at every start.
 */
export async function mailBridgeFor(context: AppContext, options: MailOptions = {}): Promise<MailBridge | undefined> {
  if (!context.config.MAIL_TRANSPORT) return undefined;
  const [{ createMailStore }, { createMailBridge }] = await Promise.all([import("./db/repositories/mail.js"), import("./mail/bridge.js")]);
  const store = createMailStore(context.database);
  return createMailBridge({ ...context, store, wake: context.interaction.wake }, options.transport);
}
