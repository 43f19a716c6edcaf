// The Teams baseline: a teams-ai app that only answers the form's Action.Execute invoke
// with a fixed card, on the same local (no credentials) adapter setup as the bot.
import { Application, TeamsAdapter } from "@microsoft/teams-ai";
import express from "express";

const adapter = new TeamsAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant" });
const app = new Application({ adapter, botAppId: "", startTypingTimer: false, longRunningMessages: false, removeRecipientMention: true });
app.adaptiveCards.actionExecute(/^ma_/, async () => ({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "ok" }] }));
express()
  .post("/api/messages", express.json(), (req, res) => {
    void adapter.process(req, res, (context) => app.run(context).then(() => undefined));
  })
  .listen(Number(process.env.PORT ?? 3998), "127.0.0.1", () => console.log("listening"));
