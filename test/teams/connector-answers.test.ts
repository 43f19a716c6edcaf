import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Activity, ConversationReference } from "botbuilder";
import { afterEach, describe, expect, it } from "vitest";
import { createActivityAdapter } from "../../src/teams/bot-framework.js";
import { cardActivity } from "../../src/teams/cards.js";
import { storedReference } from "../../src/teams/conversations.js";
import { classifyTeamsError } from "../../src/teams/errors.js";
import { createProactive } from "../../src/teams/proactive.js";
import { messageActivity } from "../helpers/teams-activities.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A Bot Connector that takes every call (HTTP 201) and answers it with `answer`. */
async function connector(answer: (response: ServerResponse) => void): Promise<Partial<ConversationReference>> {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => answer(response));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
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
