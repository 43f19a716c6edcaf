import type { Actor, PersonRef } from "../../core/model.js";
import type { IdentityInfo, PeopleDirectory } from "../../core/ports.js";
import type { Database } from "../client.js";
import { insertPersonStatement } from "../dialect.js";
import { newRowId } from "../ids.js";
import { guard, isUniqueViolation } from "./errors.js";
import { contactCheckedAt, contactOf, recordContact } from "./people-contact.js";
import { newPersonRef, newPersonRow, type ResolvedPerson, scopeOf, toResolved, toRole } from "./people-rows.js";
import { peopleStatements } from "./people-statements.js";
import { toPersonRef } from "./request-rows.js";

/**
 * How long a resolved person (with roles) is reused in this process: every click and
 * submit resolves its actor, and four reads each time showed in the profile. A grant or
 * revoke here clears it; one made by another process is seen within this time.
 */
export const RESOLVED_PERSON_TTL_MS = 10_000;
/** A bound on remembered people, so a flood of new identities cannot grow memory. */
const RESOLVED_PEOPLE_LIMIT = 5_000;

export function createPeopleDirectory(database: Database): PeopleDirectory {
  const { prisma } = database;
  const statements = peopleStatements(database.kysely);
  const insertPerson = insertPersonStatement(database.kysely, database.target.provider, database.transaction);
  const resolved = new Map<string, { actor: Actor; until: number }>();
  /** Roles change, identities move: nobody's remembered person is trusted afterwards. */
  const changingPeople = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      resolved.clear();
    }
  };
  const include = { identities: { select: { key: true } }, roles: true } as const;

  const readIdentity = async (key: string) => toResolved((await statements.identity({ key })).rows);

  /**
   * Finds or creates the identity (and its person): one read for a known identity; for a new
   * one, the read and one commit storing both. Two first contacts at once: the loser's insert
   * is a unique violation that stores neither its person nor its identity, and it re-reads.
   */
  async function ensureIdentity(identity: IdentityInfo): Promise<ResolvedPerson> {
    const existing = await storedIdentity(identity);
    if (existing) return existing;
    const person = newPersonRow(newRowId(), identity, new Date());
    try {
      await insertPerson(person);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return readIdentityOrThrow(identity.key);
    }
    // Nothing to read back: a new person has this one identity and no roles.
    return { person: newPersonRef(person), roles: [] };
  }

  /** The stored identity's person, with a newer name, workspace or zone written through; undefined when none is stored. */
  async function storedIdentity(identity: IdentityInfo): Promise<ResolvedPerson | undefined> {
    const existing = await readIdentity(identity.key);
    if (existing) {
      // Platforms send handles, not always names: a name only replaces the placeholder
      // (the bare user id) or an empty one, never a name an earlier source gave.
      const placeholder = existing.storedName === "" || existing.storedName === existing.externalId;
      const rename = identity.displayName && placeholder && identity.displayName !== existing.storedName;
      const workspace = identity.workspaceId && identity.workspaceId !== existing.workspaceId;
      // Teams sends the reader's zone with every activity: written only when it changed.
      const zone = identity.timeZone && identity.timeZone !== existing.storedZone;
      if (!rename && !workspace && !zone) return existing;
      if (workspace) await statements.workspace({ key: identity.key, workspaceId: identity.workspaceId! });
      if (rename || zone) {
        await statements.renamePerson({
          id: existing.person.id,
          displayName: rename ? identity.displayName! : null,
          timeZone: zone ? identity.timeZone! : null,
          updatedAt: new Date(),
        });
      }
      return readIdentityOrThrow(identity.key);
    }
    return undefined;
  }

  async function readIdentityOrThrow(key: string): Promise<ResolvedPerson> {
    const row = await readIdentity(key);
    // Keys can be mail addresses: not in the message.
    if (!row) throw new Error("an identity vanished while it was being resolved");
    return row;
  }

  // Keyed by everything that can change the row (a new name or workspace is written through).
  const cacheKeyOf = (identity: IdentityInfo) =>
    `${identity.key}\n${identity.displayName ?? ""}\n${identity.workspaceId ?? ""}\n${identity.email ?? ""}\n${identity.timeZone ?? ""}`;
  const remembered = (identity: IdentityInfo): Actor | undefined => {
    const hit = resolved.get(cacheKeyOf(identity));
    return hit && hit.until > Date.now() ? { ...hit.actor, roles: [...hit.actor.roles] } : undefined;
  };
  /** Only stored people are remembered: an unsaved one is looked up again until their request stores them. */
  const remember = (identity: IdentityInfo, { person, roles }: ResolvedPerson): Actor => {
    const actor: Actor = { ...person, identityKey: identity.key, roles };
    if (resolved.size >= RESOLVED_PEOPLE_LIMIT) resolved.clear();
    resolved.set(cacheKeyOf(identity), { actor, until: Date.now() + RESOLVED_PERSON_TTL_MS });
    return { ...actor, roles: [...actor.roles] };
  };

  return {
    resolve: (identity) => guard(async (): Promise<Actor> => remembered(identity) ?? remember(identity, await ensureIdentity(identity))),

    resolveRequester: (identity) =>
      guard(async () => {
        const hit = remembered(identity);
        if (hit) return { actor: hit };
        const existing = await storedIdentity(identity);
        if (existing) return { actor: remember(identity, existing) };
        const person = newPersonRef(newPersonRow(newRowId(), identity, new Date()));
        return { actor: { ...person, identityKey: identity.key, roles: [] }, unsaved: identity };
      }),

    findPerson: (personId) =>
      guard(async () => {
        const row = await prisma.person.findUnique({ where: { id: personId }, include });
        return row ? { person: toPersonRef(row), roles: row.roles.map(toRole) } : undefined;
      }),

    findPeople: (personIds) =>
      guard(async () =>
        (await prisma.person.findMany({ where: { id: { in: personIds } }, include })).map((row) => ({
          person: toPersonRef(row),
          roles: row.roles.map(toRole),
        })),
      ),

    grant: (identityKey, role, grantedBy) =>
      guard(() =>
        changingPeople(async () => {
          const personId = (await ensureIdentity({ key: identityKey })).person.id;
          const where = { personId_role_scope: { personId, role: role.role, scope: scopeOf(role) } };
          if (await prisma.roleGrant.findUnique({ where })) return false;
          try {
            await prisma.roleGrant.create({ data: { personId, role: role.role, scope: scopeOf(role), grantedBy } });
            return true;
          } catch (error) {
            if (isUniqueViolation(error)) return false;
            throw error;
          }
        }),
      ),

    revoke: (identityKey, role) =>
      guard(() =>
        changingPeople(async () => {
          const identity = await prisma.identity.findUnique({ where: { key: identityKey } });
          if (!identity) return false;
          const { count } = await prisma.roleGrant.deleteMany({
            where: { personId: identity.personId, role: role.role, scope: scopeOf(role) },
          });
          return count > 0;
        }),
      ),

    revokeGrantedBy: (grantedBy, keep) =>
      guard(() =>
        changingPeople(async () => {
          const rows = await prisma.roleGrant.findMany({
            where: { grantedBy, person: { identities: { none: { key: { in: keep } } } } },
            include: { person: { include: { identities: { select: { key: true } } } } },
          });
          if (rows.length > 0) await prisma.roleGrant.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
          return rows.flatMap((row) => row.person.identities.map((identity) => identity.key));
        }),
      ),

    listGrants: () =>
      guard(async () => {
        const rows = await prisma.roleGrant.findMany({
          include: { person: { include: { identities: { select: { key: true } } } } },
          orderBy: [{ role: "asc" }, { scope: "asc" }, { createdAt: "asc" }],
        });
        return rows.map((row) => ({
          identityKeys: row.person.identities.map((identity) => identity.key).sort(),
          displayName: row.person.displayName,
          role: toRole(row),
        }));
      }),

    contactOf: (personId) => guard(() => contactOf(prisma, personId)),
    contactCheckedAt: (key) => guard(() => contactCheckedAt(prisma, key)),
    // A link moves an identity: nobody's remembered person is trusted afterwards.
    recordContact: (key, contact) => guard(() => changingPeople(() => recordContact(prisma, key, contact))),

    listFaculty: () =>
      guard(async () => {
        const rows = await prisma.person.findMany({
          where: { roles: { some: { role: { in: ["faculty", "admin"] } } } },
          include: { identities: { select: { key: true } } },
          orderBy: { displayName: "asc" },
        });
        return rows.map((row): PersonRef => toPersonRef(row));
      }),
  };
}
