import { isValidTimeZone } from "../../core/dates.js";
import { identityKey, isIdentityKey } from "../../core/people/identity.js";
import type { PlatformContact } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";

/**
 * What the chat platforms say about a person (mail address, time zone), and the link between
 * a chat user and the `email:` identity of the same address: the people in both worlds.
 */

export async function contactOf(prisma: Db, personId: string): Promise<{ email?: string; timeZone?: string }> {
  const row = await prisma.person.findUnique({
    where: { id: personId },
    select: { email: true, timeZone: true, identities: { where: { platform: "email" }, select: { externalId: true }, take: 1 } },
  });
  if (!row) return {};
  // A chat user's verified address first; else the address they wrote to the mailbox from.
  const email = row.email ?? row.identities[0]?.externalId;
  return { ...(email ? { email } : {}), ...(row.timeZone ? { timeZone: row.timeZone } : {}) };
}

export async function contactCheckedAt(prisma: Db, key: string): Promise<Date | undefined> {
  const row = await prisma.identity.findUnique({ where: { key }, select: { person: { select: { contactCheckedAt: true } } } });
  return row?.person.contactCheckedAt ?? undefined;
}

/**
 * Stores a chat user's profile and, when their verified address is an `email:` identity of a
 * person known only by mail, moves that identity, its requests and its roles to them, in one
 * transaction. Never from another chat user: an address on a person with a chat identity
 * stays where it is, so nobody can take someone else's requests by claiming their address.
 */
export async function recordContact(prisma: Db, key: string, contact: PlatformContact): Promise<{ linked: boolean }> {
  const email = contact.verifiedEmail?.trim().toLowerCase();
  const mailKey = email ? identityKey("email", email) : undefined;
  const timeZone = contact.timeZone && isValidTimeZone(contact.timeZone) ? contact.timeZone : undefined;
  return prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    const identity = await tx.identity.findUnique({ where: { key } });
    // Only chat identities carry a platform profile: a mail sender's address is what they typed.
    if (!identity || identity.platform === "email") return { linked: false };
    const personId = identity.personId;
    await tx.person.update({
      where: { id: personId },
      data: {
        ...(mailKey && email ? { email } : {}),
        ...(timeZone ? { timeZone } : {}),
        ...(contact.checkedAt ? { contactCheckedAt: contact.checkedAt } : {}),
      },
    });
    if (!mailKey || !isIdentityKey(mailKey)) return { linked: false };
    const mail = await tx.identity.findUnique({
      where: { key: mailKey },
      include: { person: { select: { identities: { select: { key: true } } } } },
    });
    if (!mail || mail.personId === personId) return { linked: false };
    if (mail.person.identities.some((other) => other.key !== mailKey)) return { linked: false };
    const from = mail.personId;
    await tx.identity.update({ where: { key: mailKey }, data: { personId } });
    await tx.maRequest.updateMany({ where: { requesterId: from }, data: { requesterId: personId } });
    const held = await tx.roleGrant.findMany({ where: { personId }, select: { role: true, scope: true } });
    const has = new Set(held.map((grant) => `${grant.role}\n${grant.scope}`));
    const grants = await tx.roleGrant.findMany({ where: { personId: from } });
    const moving = grants.filter((grant) => !has.has(`${grant.role}\n${grant.scope}`)).map((grant) => grant.id);
    if (moving.length > 0) await tx.roleGrant.updateMany({ where: { id: { in: moving } }, data: { personId } });
    return { linked: true };
  });
}
