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
