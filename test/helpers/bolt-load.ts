// Run in a process of its own by test/slack/bolt-load.test.ts: which packages a fresh
// process has loaded after the Slack adapter's modules, and after an App in Socket Mode.
import { createRequire } from "node:module";
import { bolt } from "../../src/slack/bolt.js";

await import("../../src/slack/app.js");
const require = createRequire(import.meta.url);
/** The packages whose own code has run (a stand-in's entry is not a file of the package's folder but its entry). */
const loaded = () => {
  const files = Object.keys(require.cache);
  return Object.fromEntries(
    ["undici", "@slack/socket-mode", "jsonwebtoken", "semver"].map((name) => [
      name,
      files.filter((file) => file.includes(`/node_modules/${name}/`)).length,
    ]),
  );
};
const afterImport = loaded();
const app = new bolt.App({ token: "xoxb-test", appToken: "xapp-test", socketMode: true, tokenVerificationEnabled: false });
const receiver = (app as unknown as { receiver: unknown }).receiver;
const socketMode = require("@slack/socket-mode") as typeof import("@slack/socket-mode");
console.log(
  JSON.stringify({
    afterImport,
    afterSocketModeApp: loaded(),
    socketModeReceiver: receiver instanceof bolt.SocketModeReceiver,
    client: (receiver as { client?: unknown }).client instanceof socketMode.SocketModeClient,
  }),
);
