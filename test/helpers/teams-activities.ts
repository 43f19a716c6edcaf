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

export function messageActivity(serviceUrl: string, from: Person, conversation: Conversation, text: string) {
  const mention = conversation.type === "personal" ? "" : "<at>Mission Assist</at> ";
  return {
    ...base(serviceUrl, from, conversation),
    type: "message",
    text: `${mention}${text}`,
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
