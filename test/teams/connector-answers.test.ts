import type { ServerResponse } from "node:http";
import type { Activity, ConversationReference } from "botbuilder";
import { afterEach, describe, expect, it } from "vitest";
import { createActivityAdapter } from "../../src/teams/bot-framework.js";
import { cardActivity } from "../../src/teams/cards.js";
import { storedReference } from "../../src/teams/conversations.js";
import { classifyTeamsError } from "../../src/teams/errors.js";
import { createProactive } from "../../src/teams/proactive.js";
import { loopbacks } from "../helpers/loopback.js";
import { messageActivity } from "../helpers/teams-activities.js";

const servers = loopbacks();
afterEach(() => servers.closeAll());

/** A Bot Connector that answers every call with `answer`: the reference of a conversation there. */
async function connector(answer: (response: ServerResponse) => void): Promise<Partial<ConversationReference>> {
  const url = await servers.listen(answer);
  const activity = messageActivity(url, { aad: "aad-answers", name: "Answers" }, { id: "a:dm-answers", type: "personal" }, "hi");
  return JSON.parse(storedReference(activity as unknown as Partial<Activity>).reference) as Partial<ConversationReference>;
}

const view = { text: "Hello", blocks: [{ type: "text" as const, text: "Hello" }] };

describe("Bot Connector answers to a send the bot cannot read an id from", () => {
  for (const [what, answer] of [
    ["a body that is not JSON", (response: ServerResponse) => response.writeHead(201).end("<html>ok</html>")],
    ["a gzip body that does not decode", (response: ServerResponse) => response.writeHead(201, { "content-encoding": "gzip" }).end("nope")],
    ["no body", (response: ServerResponse) => response.writeHead(201).end()],
    ["JSON without an id", (response: ServerResponse) => response.writeHead(201).end('{"id":""}')],
  ] as const) {
    it(`fails a send answered with ${what} as permanent, never as an empty id (it would be sent again or never updated)`, async () => {
      const reference = await connector(answer);
      const proactive = createProactive(createActivityAdapter({ cloud: "public" }), "");
      const error = await proactive.send(reference, cardActivity(view)).then(
        (id) => `resolved with id "${id}"`,
        (failure: unknown) => failure,
      );
      expect(error).toMatchObject({ kind: "NO_ACTIVITY_ID" });
      expect(classifyTeamsError(error).kind).toBe("permanent");
    });
  }

  it("takes an update answered without a readable body: an update needs no id", async () => {
    const reference = await connector((response) => response.writeHead(200).end("<html>ok</html>"));
    const proactive = createProactive(createActivityAdapter({ cloud: "public" }), "");
    await expect(proactive.update(reference, { ...cardActivity(view), id: "msg-1" })).resolves.toBeUndefined();
  });
});
