// The Teams baseline: a teams-ai app on the same local (no credentials) adapter setup as the
// bot, doing the same work for the request form's Action.Execute, described by a spec file
// the bench writes from the bot's own output (BARE_SPEC): stores the same rows (`store`,
// bench/submission-rows.ts, run with tsx), answers with the same card (`answer`), then sends
// the same triage card and DM to the Bot Connector (`posts`), each one JSON POST on a
// kept-alive connection. With no spec it only answers with a fixed card.
import { readFileSync } from "node:fs";
import http from "node:http";
import { Application, TeamsAdapter } from "@microsoft/teams-ai";
import express from "express";

const spec = process.env.BARE_SPEC ? JSON.parse(readFileSync(process.env.BARE_SPEC, "utf8")) : {};
const writer = spec.store ? (await import("./submission-rows.ts")).sqliteWriter(process.env.BARE_DB_FILE ?? "", spec.store) : undefined;
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function postJson(url, json) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) } },
      (response) => {
        response.on("data", () => {});
        response.on("error", reject);
        response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
      },
    );
    request.on("error", reject);
    request.end(json);
  });
}

const adapter = new TeamsAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant" });
const app = new Application({ adapter, botAppId: "", startTypingTimer: false, longRunningMessages: false, removeRecipientMention: true });
app.adaptiveCards.actionExecute(/^ma_/, async (context) => {
  writer?.insert();
  const { serviceUrl, conversation } = context.activity;
  // After the answer, as the bot's outbox sends after its transaction.
  setImmediate(async () => {
    for (const post of spec.posts ?? []) {
      const to = post.to === "user" ? conversation.id : post.conversationId;
      await postJson(new URL(`v3/conversations/${encodeURIComponent(to)}/activities`, serviceUrl), JSON.stringify(post.body)).catch(
        (error) => console.error(error.message),
      );
    }
  });
  return spec.answer ?? { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "ok" }] };
});
express()
  .post("/api/messages", express.json(), (req, res) => {
    void adapter.process(req, res, (context) => app.run(context).then(() => undefined));
  })
  .listen(Number(process.env.PORT ?? 3998), "127.0.0.1", () => console.log("listening"));
// A profiled run (`--profile`) stops with SIGTERM and must exit on its own to write its profile.
process.once("SIGTERM", () => process.exit(0));
