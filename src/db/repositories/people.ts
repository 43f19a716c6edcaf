import type { Actor, PersonRef, Role } from "../../core/model.js";
import type { IdentityInfo, PeopleDirectory } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { guard, isUniqueViolation } from "./errors.js";
import { toPersonRef } from "./request-rows.js";

type GrantRow = Prisma.RoleGrantGetPayload<object>;

function toRole(row: Pick<GrantRow, "role" | "scope">): Role {
  return row.role === "case-viewer" ? { role: "case-viewer", scope: row.scope } : { role: row.role as "faculty" | "admin" };
}

function scopeOf(role: Role): string {
  return role.role === "case-viewer" ? role.scope : "";
}

/** `slack:U0123ABCD` → platform and external id. */
export function splitIdentityKey(key: string): { platform: string; externalId: string } {
  const colon = key.indexOf(":");
  return { platform: key.slice(0, colon), externalId: key.slice(colon + 1) };
}

/**
 * How long a resolved person (with roles) is reused in this process: every click and
 * submit resolves its actor, and four reads each time showed in the profile. A grant or
 * revoke here clears it; one made by another process is seen within this time.
 */
export const RESOLVED_PERSON_TTL_MS = 10_000;
/** A bound on remembered people, so a flood of new identities cannot grow memory. */
const RESOLVED_PEOPLE_LIMIT = 5_000;

export function createPeopleDirectory(prisma: Db): PeopleDirectory {
  const resolved = new Map<string, { actor: Actor; until: number }>();
  /** Roles change: nobody's remembered roles are trusted afterwards. */
  const changingRoles = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      resolved.clear();
    }
  };
  const include = { person: { include: { identities: { select: { key: true } }, roles: true } } } as const;

  /** Finds or creates the identity (and its person). Two first contacts at once: the loser re-reads. */
  async function ensureIdentity(identity: IdentityInfo) {
    const existing = await prisma.identity.findUnique({ where: { key: identity.key }, include });
    if (existing) {
      // Platforms send handles, not always names: a name only replaces the placeholder
      // (the bare user id) or an empty one, never a name an earlier source gave.
      const placeholder = existing.person.displayName === "" || existing.person.displayName === existing.externalId;
      const rename = identity.displayName && placeholder && identity.displayName !== existing.person.displayName;
      const workspace = identity.workspaceId && identity.workspaceId !== existing.workspaceId;
      if (!rename && !workspace) return existing;
      if (workspace) await prisma.identity.update({ where: { key: identity.key }, data: { workspaceId: identity.workspaceId } });
      if (rename) await prisma.person.update({ where: { id: existing.personId }, data: { displayName: identity.displayName } });
      return prisma.identity.findUniqueOrThrow({ where: { key: identity.key }, include });
    }
    const { platform, externalId } = splitIdentityKey(identity.key);
    try {
      return await prisma.identity.create({
        data: {
          key: identity.key,
          platform,
          externalId,
          workspaceId: identity.workspaceId ?? "",
          person: { create: { displayName: identity.displayName ?? externalId, email: identity.email } },
        },
        include,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return prisma.identity.findUniqueOrThrow({ where: { key: identity.key }, include });
    }
  }

  return {
    resolve: (identity) =>
      guard(async (): Promise<Actor> => {
        // Keyed by everything that can change the row (a new name or workspace is written through).
        const cacheKey = `${identity.key}\n${identity.displayName ?? ""}\n${identity.workspaceId ?? ""}\n${identity.email ?? ""}`;
        const hit = resolved.get(cacheKey);
        if (hit && hit.until > Date.now()) return { ...hit.actor, roles: [...hit.actor.roles] };
        const row = await ensureIdentity(identity);
        const actor = { ...toPersonRef(row.person), identityKey: identity.key, roles: row.person.roles.map(toRole) };
        if (resolved.size >= RESOLVED_PEOPLE_LIMIT) resolved.clear();
        resolved.set(cacheKey, { actor, until: Date.now() + RESOLVED_PERSON_TTL_MS });
        return { ...actor, roles: [...actor.roles] };
      }),

    findPerson: (personId) =>
      guard(async () => {
        const row = await prisma.person.findUnique({ where: { id: personId }, include: include.person.include });
        return row ? { person: toPersonRef(row), roles: row.roles.map(toRole) } : undefined;
      }),

    contactOf: (personId) =>
      guard(async () => {
        // The person's `email:` identity, the address they wrote from (lower case).
        const identity = await prisma.identity.findFirst({ where: { personId, platform: "email" }, orderBy: { createdAt: "asc" } });
        return identity ? { email: identity.externalId } : {};
      }),

    findPeople: (personIds) =>
      guard(async () =>
        (await prisma.person.findMany({ where: { id: { in: personIds } }, include: include.person.include })).map((row) => ({
          person: toPersonRef(row),
          roles: row.roles.map(toRole),
        })),
      ),

    grant: (identityKey, role, grantedBy) =>
      guard(() =>
        changingRoles(async () => {
          const identity = await ensureIdentity({ key: identityKey });
          const where = { personId_role_scope: { personId: identity.personId, role: role.role, scope: scopeOf(role) } };
          if (await prisma.roleGrant.findUnique({ where })) return false;
          try {
            await prisma.roleGrant.create({ data: { personId: identity.personId, role: role.role, scope: scopeOf(role), grantedBy } });
            return true;
          } catch (error) {
            if (isUniqueViolation(error)) return false;
            throw error;
          }
        }),
      ),

    revoke: (identityKey, role) =>
      guard(() =>
        changingRoles(async () => {
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
        changingRoles(async () => {
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
