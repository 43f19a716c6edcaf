// The Slack baselines: a bare Bolt app on HTTP (no token check) doing the same work as the
// bot, described by a spec file the bench writes from the bot's own output (BARE_SPEC):
// - /ma: acks, then opens the same modal (`modal`, the view's JSON text);
// - the request form's view_submission: stores the same rows (`store`, bench/submission-rows.ts,
//   run with tsx), acks with the same answer (`answer`), then posts the same triage card and DM
//   (`posts`).
// BARE_CALLS says how it calls the Web API: `webclient` (Bolt's WebClient, as most apps do) or
// `raw` (one JSON POST on a kept-alive connection, the leanest call there is). With no spec it
// only acks (the footprint bench's bare app).
import { readFileSync } from "node:fs";
import http from "node:http";
import bolt from "@slack/bolt";

const spec = process.env.BARE_SPEC ? JSON.parse(readFileSync(process.env.BARE_SPEC, "utf8")) : {};
const apiUrl = process.env.SLACK_API_URL ?? "http://127.0.0.1:1/api/";
const raw = process.env.BARE_CALLS === "raw";

const app = new bolt.App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "bench-secret",
  token: "xoxb-bench",
  tokenVerificationEnabled: false,
  // Known ids: Bolt would otherwise ask auth.test for them on the first event (no network here).
  botId: "B0BENCH",
  botUserId: "U0BENCH",
  port: Number(process.env.PORT ?? 3999),
  clientOptions: { slackApiUrl: apiUrl },
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
/** One JSON POST of already serialised `json` on a kept-alive connection. */
function postJson(method, json) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(method, apiUrl),
      {
        method: "POST",
        agent,
        headers: {
          authorization: "Bearer xoxb-bench",
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(json),
        },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          if (answer.ok) resolve(answer);
          else reject(new Error(`${method}: ${answer.error}`));
        });
      },
    );
    request.on("error", reject);
    request.end(json);
  });
}

const call = (client, method, body) => (raw ? postJson(method, JSON.stringify(body)) : client.apiCall(method, body));

const writer = spec.store ? (await import("./submission-rows.ts")).sqliteWriter(process.env.BARE_DB_FILE ?? "", spec.store) : undefined;
const modal = spec.modal ? JSON.parse(spec.modal) : undefined;

app.command("/ma", async ({ ack, command, client }) => {
  await ack();
  if (!spec.modal) return;
  if (raw) await postJson("views.open", `{"trigger_id":${JSON.stringify(command.trigger_id)},"view":${spec.modal}}`);
  else await client.views.open({ trigger_id: command.trigger_id, view: modal });
});

app.view({ callback_id: /^ma_form_/ }, async ({ ack, body, client }) => {
  writer?.insert();
  await ack(spec.answer);
  for (const post of spec.posts ?? []) {
    await call(client, "chat.postMessage", { ...post.body, channel: post.to === "user" ? body.user.id : post.body.channel });
  }
});
app.error(async (error) => console.error(error.message));

await app.start();
// A profiled run (`--profile`) stops with SIGTERM and must exit on its own to write its profile.
process.once("SIGTERM", () => process.exit(0));
console.log("listening");
