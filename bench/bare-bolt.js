// The Slack baseline: a bare Bolt app on HTTP, no token check, whose listeners only ack
// (/ma and the request form's view_submission). Footprint and ack latency compare against it.
// With BARE_STORE (a module exporting `store()`, bench/bare-store.ts, run with tsx), a view
// submission first stores a submission's rows: the least any bot that stores before it answers does.
import bolt from "@slack/bolt";

const store = process.env.BARE_STORE ? (await import(process.env.BARE_STORE)).store : () => {};

const app = new bolt.App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "bench-secret",
  token: "xoxb-bench",
  tokenVerificationEnabled: false,
  // Known ids: Bolt would otherwise ask auth.test for them on the first event (no network here).
  botId: "B0BENCH",
  botUserId: "U0BENCH",
  port: Number(process.env.PORT ?? 3999),
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
});
app.command("/ma", async ({ ack }) => {
  await ack();
});
app.view({ callback_id: /^ma_form_/ }, async ({ ack }) => {
  store();
  await ack();
});
await app.start();
console.log("listening");
