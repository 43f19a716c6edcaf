import type { CoreDeps } from "../core/deps.js";
import type { Actor } from "../core/model.js";
import { isFaculty } from "../core/permissions.js";
import { listMyRequests, myAssignments, triageQueue } from "../core/requests/queries.js";
import { statusLabel } from "./format.js";
import { userText } from "./inert.js";
import { myRequestsView, queueView } from "./present.js";
import type { MessageView, ViewBlock } from "./views.js";

/**
 * A person's home page with the bot (Slack App Home): their own requests; for faculty
 * also the triage queue and the requests they lead.
 */
export async function homeView(core: CoreDeps, actor: Actor, options: { prefix: string; contactEmail?: string }): Promise<MessageView> {
  const blocks: ViewBlock[] = [
    { type: "header", text: "Mission Assistance" },
    {
      type: "text",
      text: "Ask DAU International Acquisition Center faculty for help with FMS, BPC and International Armaments Cooperation work. Space-available; no charge for faculty time; your office funds travel.",
    },
    { type: "divider" },
    ...myRequestsView(await listMyRequests(core, actor), options.prefix).blocks,
  ];
  if (isFaculty(actor)) {
    const assignments = await myAssignments(core, actor);
    const lines = assignments.map(
      (request) => `*${request.number}* ${statusLabel(request.status)} — ${userText(request.form.organization)}`,
    );
    blocks.push(
      { type: "divider" },
      ...queueView(await triageQueue(core, actor)).blocks,
      { type: "divider" },
      { type: "header", text: `Your assignments (${assignments.length})` },
      { type: "text", text: lines.length === 0 ? "None open." : lines.join("\n") },
    );
  }
  const contact = options.contactEmail
    ? `Questions: ${userText(options.contactEmail)}`
    : "Questions: DAU International Acquisition Center (DSMC-International).";
  blocks.push({ type: "context", text: contact });
  return { text: "Mission Assistance", blocks };
}
