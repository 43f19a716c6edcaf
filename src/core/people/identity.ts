import type { Platform } from "../model.js";

/**
 * Identity keys name a platform account: `slack:U0123ABCD`, `teams:<AAD object id>`,
 * `email:<address>` (lower case). They are built and read here only.
 */

const IDENTITY_KEY = /^(?:(slack|teams):([A-Za-z0-9._:-]+)|(email):([^\s@<>",:;]+@[A-Za-z0-9.-]+))$/;

export function identityKey(platform: Platform, userId: string): string {
  // Mail addresses are matched case-insensitively in practice: one person, one key.
  return `${platform}:${platform === "email" ? userId.toLowerCase() : userId}`;
}

export function parseIdentityKey(key: string): { platform: Platform; userId: string } | undefined {
  const match = IDENTITY_KEY.exec(key);
  if (!match) return undefined;
  return match[3] ? { platform: "email", userId: match[4] ?? "" } : { platform: match[1] as Platform, userId: match[2] ?? "" };
}

export function isIdentityKey(text: string): boolean {
  return IDENTITY_KEY.test(text);
}

/** A Slack user id: `U` or `W` (Enterprise Grid) and upper-case letters and digits. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{6,}$/;
/**
 * An Azure AD object id is a GUID. The Agents Playground's user has one more digit in the
 * last group (`00000000-0000-0000-0000-0000000000020`), so the last group may be longer.
 */
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/**
 * Why an identity typed by an operator could never match anyone who writes to the bot, or
 * undefined when its form is right. Roles granted to `teams:abc` would be silently useless.
 */
export function identityKeyProblem(text: string): string | undefined {
  const identity = parseIdentityKey(text);
  if (!identity) return `identity "${text}" must look like slack:U0123ABCD or teams:<AAD object id>`;
  if (identity.platform === "slack" && !SLACK_USER_ID.test(identity.userId)) {
    return `"${identity.userId}" is not a Slack user id: they are U or W and upper-case letters and digits, like slack:U0123ABCD (profile → ⋮ → Copy member ID)`;
  }
  if (identity.platform === "teams" && !AAD_OBJECT_ID.test(identity.userId)) {
    return `"${identity.userId}" is not an Azure AD object id: it is a GUID, like teams:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b (Entra admin center → Users → Object ID)`;
  }
  return undefined;
}

/** Direct messages are addressed to `@<identity key>` in the outbox. */
export function directAddress(key: string): string {
  return `@${key}`;
}

/** Each identity (once) as a direct-message target, on `platforms` only when given. */
export function directTargets(
  identityKeys: readonly string[],
  platforms?: readonly Platform[],
): Array<{ platform: Platform; conversationId: string }> {
  return [...new Set(identityKeys)].flatMap((key) => {
    const identity = parseIdentityKey(key);
    if (!identity || (platforms && !platforms.includes(identity.platform))) return [];
    return [{ platform: identity.platform, conversationId: directAddress(key) }];
  });
}

export function identityOfAddress(conversationId: string): string | undefined {
  return conversationId.startsWith("@") ? conversationId.slice(1) : undefined;
}
