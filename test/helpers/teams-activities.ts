import { request as httpRequest } from "node:http";

let counter = 0;

export interface Person {
  aad: string;
  name: string;
}

export interface Conversation {
  id: string;
  type: "personal" | "channel" | "groupChat";
}

const TENANT = "tenant-0001";

function base(serviceUrl: string, from: Person, conversation: Conversation) {
  return {
    id: `activity-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: "msteams",
    from: { id: `29:${from.aad}`, name: from.name, aadObjectId: from.aad },
    conversation: { id: conversation.id, conversationType: conversation.type, tenantId: TENANT, isGroup: conversation.type !== "personal" },
    recipient: { id: "28:bot-id", name: "Mission Assist" },
    channelData: {
      tenant: { id: TENANT },
      ...(conversation.type === "channel" ? { channel: { id: conversation.id }, team: { id: "team-1" } } : {}),
    },
  };
}

export function messageActivity(
  serviceUrl: string,
  from: Person,
  conversation: Conversation,
  text: string,
  options: { localTimezone?: string } = {},
) {
  const mention = conversation.type === "personal" ? "" : "<at>Mission Assist</at> ";
  return {
    ...base(serviceUrl, from, conversation),
    type: "message",
    text: `${mention}${text}`,
    // As Teams sends the client's zone: on the activity, and in the clientInfo entity.
    ...(options.localTimezone ? { localTimezone: options.localTimezone } : {}),
    ...(mention
      ? { entities: [{ type: "mention", text: "<at>Mission Assist</at>", mentioned: { id: "28:bot-id", name: "Mission Assist" } }] }
      : {}),
  };
}

export function invokeActivity(
  serviceUrl: string,
  from: Person,
  conversation: Conversation,
  verb: string,
  data: Record<string, unknown>,
  replyToId = "card-1",
) {
  return {
    ...base(serviceUrl, from, conversation),
    type: "invoke",
    name: "adaptiveCard/action",
    replyToId,
    value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
  };
}

export function installActivity(serviceUrl: string, from: Person, conversation: Conversation) {
  return {
    ...base(serviceUrl, from, conversation),
    type: "conversationUpdate",
    membersAdded: [{ id: "28:bot-id" }],
  };
}

export async function postActivity(url: string, activity: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

// biome-ignore lint/suspicious/noExplicitAny: Adaptive Card JSON as the bot sent it.
type CardNode = Record<string, any>;

function walkCard(node: unknown, visit: (element: CardNode) => void): void {
  if (Array.isArray(node)) for (const child of node) walkCard(child, visit);
  else if (node && typeof node === "object") {
    visit(node as CardNode);
    for (const child of Object.values(node)) walkCard(child, visit);
  }
}

/** What a person does to a card's inputs before pressing a button: the values they type or choose, by input id. */
export type TypedInputs = Record<string, string>;

/** Why a Teams client would not send the press at all (its own validation), or undefined. */
function clientValidation(input: CardNode, value: string): string | undefined {
  const failed = input.errorMessage ?? `${input.id} is not valid`;
  if (input.isRequired && value === "") return failed;
  if (value === "") return undefined;
  if (input.type === "Input.Text" && input.maxLength && value.length > input.maxLength) return failed;
  if (input.type === "Input.Number") {
    const number = Number(value);
    if (!Number.isFinite(number) || (input.min !== undefined && number < input.min) || (input.max !== undefined && number > input.max)) {
      return failed;
    }
  }
  if (input.type === "Input.ChoiceSet") {
    const allowed = new Set((input.choices ?? []).map((choice: { value: string }) => choice.value));
    const chosen = input.isMultiSelect ? value.split(",") : [value];
    if (!chosen.every((choice) => allowed.has(choice))) return `${input.id}: no such choice ${value}`;
  }
  return undefined;
}

/**
 * Presses the button titled `title` on a card the bot sent, as a Teams client does: the
 * action's own `data`, plus (unless `associatedInputs` is "none") every input of the card
 * with its shown value or what the person typed, after the client's validation (a required
 * input left empty blocks the press: this throws instead). Action.Execute becomes an
 * `adaptiveCard/action` invoke, Action.Submit a message carrying the values.
 */
export function pressButton(
  card: unknown,
  title: string,
  at: { serviceUrl: string; from: Person; conversation: Conversation; replyToId?: string },
  typed: TypedInputs = {},
) {
  const actions: CardNode[] = [];
  const inputs: CardNode[] = [];
  walkCard(card, (element) => {
    if ((element.type === "Action.Execute" || element.type === "Action.Submit") && element.title === title) actions.push(element);
    if (typeof element.type === "string" && element.type.startsWith("Input.")) inputs.push(element);
  });
  if (actions.length !== 1) throw new Error(`the card has ${actions.length} buttons titled "${title}"`);
  const [action] = actions;
  for (const id of Object.keys(typed)) {
    if (!inputs.some((input) => input.id === id)) throw new Error(`the card has no input "${id}" to type into`);
  }
  const values: Record<string, string> = {};
  if (action.associatedInputs !== "none") {
    for (const input of inputs) {
      const shown = input.value === undefined ? (input.type === "Input.Toggle" ? (input.valueOff ?? "false") : "") : String(input.value);
      const value = typed[input.id] ?? shown;
      const blocked = clientValidation(input, value);
      if (blocked) throw new Error(`Teams would not send "${title}": ${blocked}`);
      values[input.id] = value;
    }
  } else if (Object.keys(typed).length > 0) {
    throw new Error(`"${title}" sends no inputs (associatedInputs: none)`);
  }
  const data = { ...(action.data ?? {}), ...values };
  if (action.type === "Action.Submit") {
    return { ...base(at.serviceUrl, at.from, at.conversation), type: "message", value: data, replyToId: at.replyToId };
  }
  return invokeActivity(at.serviceUrl, at.from, at.conversation, action.verb, data, at.replyToId);
}

/** Every button on a card, by title: what the person can still press. */
export function buttonTitles(card: unknown): string[] {
  const titles: string[] = [];
  walkCard(card, (element) => {
    if (element.type === "Action.Execute" || element.type === "Action.Submit") titles.push(element.title);
  });
  return titles;
}

/**
 * POSTs an activity over node:http, which (unlike fetch) sends whatever Host header it is
 * given: what a DNS-rebinding page or a forwarder's client puts on the wire.
 */
export function postRaw(
  target: { address: string; port: number },
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(activity);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.address,
        port: target.port,
        path: "/api/messages",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
