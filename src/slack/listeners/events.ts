import type { App } from "@slack/bolt";
import { answerError } from "../../chat/errors.js";
import { homeView } from "../../chat/home.js";
import { renderHome } from "../blocks.js";
import { SLASH_COMMAND } from "../ids.js";
import { readProfile, type SlackListenerDeps, slackIdentity } from "./deps.js";

/** App Home: everyone's own requests; for faculty also the triage queue and their assignments. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    try {
      const identity = slackIdentity({ id: event.user }, (body as { team_id?: string }).team_id);
      await readProfile(deps, identity, event.user);
      const actor = await deps.interaction.core.people.resolve(identity);
      const view = await homeView(deps.interaction.core, actor, { prefix: `${SLASH_COMMAND} `, contactEmail: deps.contactEmail });
      await deps.api.call("views.publish", { user_id: event.user, view: renderHome(view) });
    } catch (error) {
      answerError(error, deps.interaction.report, { event: "app_home_opened" });
    }
  });
}
