import type { types } from "@slack/bolt";
import { statusLabel } from "../chat/format.js";
import { myRequestsView, queueView } from "../chat/present.js";
import type { MessageView } from "../chat/views.js";
import type { CoreDeps } from "../core/deps.js";
import type { Actor } from "../core/model.js";
import { isFaculty } from "../core/permissions.js";
import { listMyRequests, myAssignments, triageQueue } from "../core/requests/queries.js";
import { type Block, renderMessage } from "./blocks.js";
import { NEW_REQUEST_ACTION } from "./ids.js";

/** App Home: everyone's own requests; for faculty also the triage queue and their assignments. */
export async function buildHomeView(core: CoreDeps, actor: Actor, contactEmail?: string): Promise<types.HomeView> {
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: "Mission Assistance" } },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: "Ask DAU International Acquisition Center faculty for help with FMS, BPC and International Armaments Cooperation work. Space-available; no charge for faculty time; your office funds travel.",
      },
      accessory: { type: "button", action_id: NEW_REQUEST_ACTION, style: "primary", text: { type: "plain_text", text: "New request" } },
    },
    { type: "divider" },
    ...renderMessage(myRequestsView(await listMyRequests(core, actor), "/ma ")).blocks,
  ];
  if (isFaculty(actor)) {
    const assignments = await myAssignments(core, actor);
    const mine: MessageView = {
      text: "Your assignments",
      blocks: [
        { type: "header", text: `Your assignments (${assignments.length})` },
        {
          type: "text",
          text:
            assignments.length === 0
              ? "None open."
              : assignments
                  .map((request) => `*${request.number}* ${statusLabel(request.status)} — ${request.form.organization}`)
                  .join("\n"),
        },
      ],
    };
    blocks.push(
      { type: "divider" },
      ...renderMessage(queueView(await triageQueue(core, actor))).blocks,
      { type: "divider" },
      ...renderMessage(mine).blocks,
    );
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: contactEmail ? `Questions: ${contactEmail}` : "Questions: DAU International Acquisition Center (DSMC-International).",
      },
    ],
  });
  return { type: "home", blocks: blocks.slice(0, 100) } as types.HomeView;
}
