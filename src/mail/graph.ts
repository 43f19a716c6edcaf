import { ResponseType } from "@microsoft/microsoft-graph-client";
import type { SettingsStore } from "../core/ports.js";
import { createGraphClient, graphError, sendError, statusOf } from "./graph-api.js";
import { createGraphSignIn, type GraphCredentials } from "./graph-auth.js";
import { graphCheck } from "./graph-check.js";
import type { GraphHosts } from "./graph-hosts.js";
import { renderMime } from "./mime.js";
import type { FetchedMail, MailTransport, OutgoingMail } from "./transport.js";

export interface GraphOptions {
  hosts: GraphHosts;
  credentials: GraphCredentials;
  /** The shared mailbox read and sent from (MAIL_ADDRESS). */
  address: string;
  /** Where the Inbox's delta link is kept between passes (and replicas). */
  settings: SettingsStore;
  /** The cloud's name, for the doctor's lines. */
  cloud: string;
}

/** The settings key of the Inbox's latest delta link: where the next pass starts. */
export const DELTA_KEY = "mail:graph-delta";

/** One row of a delta page: a message's id and the properties asked for, or a tombstone. */
interface DeltaRow {
  id: string;
  isRead?: boolean;
  receivedDateTime?: string;
  "@removed"?: unknown;
}
interface DeltaPage {
  value?: DeltaRow[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

/**
 * A Microsoft 365 shared mailbox through Microsoft Graph, signed in as the app (client
 * credentials). The Inbox is read by delta query: each pass asks only what changed since the
 * stored delta link. No watch(): Graph's push (change notifications) needs a public HTTPS
 * endpoint and subscriptions renewed every few days; a delta poll every MAIL_POLL_SECONDS
 * costs one small request when nothing arrived.
 */
export function createGraphTransport(options: GraphOptions): MailTransport {
  const signIn = createGraphSignIn(options.hosts, options.credentials);
  const client = createGraphClient(options.hosts, () => signIn.token());
  const mailbox = `/users/${encodeURIComponent(options.address)}`;
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw graphError(error, what);
    }
  };

  /** Every page of one delta round: the unread messages (oldest first), and the link to start the next round from. */
  async function deltaRound(start: string | undefined): Promise<{ unread: DeltaRow[]; deltaLink?: string }> {
    // isRead and the arrival time only: the message itself is fetched as MIME.
    let url = start ?? `${mailbox}/mailFolders/inbox/messages/delta?$select=isRead,receivedDateTime`;
    const unread: DeltaRow[] = [];
    for (;;) {
      // The links are opaque: followed as Graph wrote them.
      const page: DeltaPage = await call("reading the Inbox", () => client.api(url).header("Prefer", "odata.maxpagesize=50").get());
      // Removed (deleted or moved away) and already read (by us or a person) messages are not ours to answer.
      for (const row of page.value ?? []) if (!row["@removed"] && row.isRead !== true) unread.push(row);
      const next = page["@odata.nextLink"];
      if (!next) {
        unread.sort((a, b) => (a.receivedDateTime ?? "").localeCompare(b.receivedDateTime ?? ""));
        return { unread, deltaLink: page["@odata.deltaLink"] };
      }
      url = next;
    }
  }

  async function startOfRound(): Promise<ReturnType<typeof deltaRound>> {
    const stored = (await options.settings.get(DELTA_KEY)) || undefined;
    try {
      return await deltaRound(stored);
    } catch (error) {
      // 410 Gone (syncStateNotFound, resyncRequired): the link expired. A full round lists
      // every unread message again; the ones already handled are known by their Message-ID.
      if (!stored || statusOf(error) !== 410) throw error;
      await options.settings.set(DELTA_KEY, "");
      return deltaRound(undefined);
    }
  }

  return {
    name: "graph",
    async readUnread(handle: (mail: FetchedMail) => Promise<boolean>): Promise<number> {
      await signIn.token();
      const { unread, deltaLink } = await startOfRound();
      let allHandled = true;
      for (const { id } of unread) {
        const path = `${mailbox}/messages/${encodeURIComponent(id)}`;
        let raw: Buffer;
        try {
          raw = Buffer.from(await client.api(`${path}/$value`).responseType(ResponseType.ARRAYBUFFER).get());
        } catch (error) {
          // Deleted or moved between the listing and now: nothing left to read.
          if (statusOf(error) === 404) continue;
          throw graphError(error, "downloading a message");
        }
        if (await handle({ ref: id, raw })) await call("marking a message read", () => client.api(path).patch({ isRead: true }));
        else allHandled = false;
      }
      // Only a round whose every message was handled moves the start on: one left unread is listed again.
      if (allHandled && deltaLink) await options.settings.set(DELTA_KEY, deltaLink);
      return unread.length;
    },
    async send(mail: OutgoingMail): Promise<void> {
      await signIn.token();
      // sendMail with a MIME body (base64, text/plain): the headers nodemailer writes
      // (Message-ID, In-Reply-To, References, X-Auto-Response-Suppress) and the iMIP part
      // leave as they are; Graph's JSON message would only carry custom headers named x-….
      const mime = await renderMime(options.address, mail);
      try {
        await client.api(`${mailbox}/sendMail`).header("Content-Type", "text/plain").post(mime.toString("base64"));
      } catch (error) {
        throw sendError(error);
      }
    },
    check: () => graphCheck({ ...options, signIn, client, mailbox }),
    async close() {
      // Nothing held open: MSAL's token cache and fetch's idle sockets go with the process.
    },
  };
}
