// The footprint baseline: a bare Bolt app with one /ma listener, on HTTP, no token check.
import bolt from "@slack/bolt";

const app = new bolt.App({
  signingSecret: "bench-secret",
  token: "xoxb-bench",
  tokenVerificationEnabled: false,
  port: Number(process.env.PORT ?? 3999),
});
app.command("/ma", async ({ ack }) => {
  await ack();
});
await app.start();
console.log("listening");
