import type { Client } from "@microsoft/microsoft-graph-client";
import { GraphHttpError, graphError, MAILBOX_ACCESS_FIX } from "./graph-api.js";
import { type GraphCredentials, GraphSignInError, tokenRoles } from "./graph-auth.js";
import type { GraphHosts } from "./graph-hosts.js";

type Line = { name: string; ok: boolean; detail: string; fix?: string };

export interface GraphCheckDeps {
  hosts: GraphHosts;
  credentials: GraphCredentials;
  address: string;
  cloud: string;
  signIn: { token(): Promise<string> };
  client: Client;
  /** `/users/<address>`. */
  mailbox: string;
}

/**
 * The doctor's Graph lines, without side effects: a token (naming the variable Entra
 * refused), the Inbox read as the app, and the permission to send — read from the token's
 * roles, since the only other proof would be sending a mail.
 */
export async function graphCheck(deps: GraphCheckDeps): Promise<Line[]> {
  let token: string;
  try {
    token = await deps.signIn.token();
  } catch (error) {
    if (error instanceof GraphSignInError) {
      return [{ name: `Graph token (${error.setting})`, ok: false, detail: error.detail, fix: error.fix }];
    }
    const detail = error instanceof Error ? error.message : String(error);
    return [{ name: "Graph token (GRAPH_LOGIN_URL)", ok: false, detail, fix: "check MICROSOFT_CLOUD or GRAPH_LOGIN_URL and the network" }];
  }
  const roles = tokenRoles(token);
  const lines: Line[] = [
    {
      name: "Graph token (GRAPH_CLIENT_ID)",
      ok: true,
      detail: `obtained for app ${deps.credentials.clientId} from ${deps.hosts.login} (${deps.cloud} cloud; Graph at ${deps.hosts.api})`,
    },
  ];
  // With RBAC for Applications the grants live in Exchange, not in the token: it carries no Mail.* role at all.
  const rbac = !roles.some((role) => role.startsWith("Mail."));
  const mailboxLine = "mailbox (MAIL_ADDRESS)";
  let readable = false;
  try {
    const inbox = (await deps.client.api(`${deps.mailbox}/mailFolders/inbox?$select=totalItemCount,unreadItemCount`).get()) as {
      totalItemCount?: number;
      unreadItemCount?: number;
    };
    readable = true;
    const counts = `${deps.address} Inbox: ${inbox.totalItemCount ?? 0} message(s), ${inbox.unreadItemCount ?? 0} unread`;
    lines.push(
      roles.includes("Mail.ReadWrite") || rbac
        ? { name: mailboxLine, ok: true, detail: `${counts} (${rbac ? "granted by Exchange RBAC for Applications" : "Mail.ReadWrite"})` }
        : {
            name: mailboxLine,
            ok: false,
            detail: `${counts}, but the token has no Mail.ReadWrite: mail read could not be marked read`,
            fix: "add the application permission Mail.ReadWrite to the app registration and grant admin consent",
          },
    );
  } catch (error) {
    const failure = graphError(error, `reading ${deps.address}'s Inbox`);
    const denied = failure instanceof GraphHttpError && failure.statusCode === 403;
    lines.push({
      name: mailboxLine,
      ok: false,
      detail: denied ? failure.message.slice(0, failure.message.indexOf("):") + 1) : failure.message,
      fix: denied ? MAILBOX_ACCESS_FIX : "fix MAIL_ADDRESS or GRAPH_API_URL",
    });
  }
  lines.push(sendLine(roles, rbac && readable));
  return lines;
}

/** Sending cannot be proven without sending: the token's roles say whether Entra granted it. */
function sendLine(roles: string[], rbac: boolean): Line {
  const name = "sending (Mail.Send)";
  if (roles.includes("Mail.Send")) {
    return { name, ok: true, detail: "the token carries the Mail.Send application permission (read from the token; no mail sent)" };
  }
  if (rbac) {
    return {
      name,
      ok: true,
      detail:
        'the token carries no mail roles: Exchange RBAC for Applications must assign "Application Mail.Send" (not checkable without sending)',
    };
  }
  return {
    name,
    ok: false,
    detail: `the token carries no Mail.Send permission (roles: ${roles.join(", ") || "none"})`,
    fix: "add the application permission Mail.Send to the app registration and grant admin consent",
  };
}
