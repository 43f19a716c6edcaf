import type { PersonRef, Role } from "../../core/model.js";
import type { IdentityInfo } from "../../core/ports.js";
import type { Database } from "../client.js";
import type { NewPerson } from "../dialect.js";
import type { IdentityRow } from "./people-statements.js";
import { peopleStatements } from "./people-statements.js";
import { toPersonRef } from "./request-rows.js";

/* People's stored rows as the core sees them: roles, identities, a new person's rows. */
export function toRole(row: { role: string; scope: string }): Role {
  return row.role === "case-viewer" ? { role: "case-viewer", scope: row.scope } : { role: row.role as "faculty" | "admin" };
}

export function scopeOf(role: Role): string {
  return role.role === "case-viewer" ? role.scope : "";
}

/** `slack:U0123ABCD` → platform and external id. */
export function splitIdentityKey(key: string): { platform: string; externalId: string } {
  const colon = key.indexOf(":");
  return { platform: key.slice(0, colon), externalId: key.slice(colon + 1) };
}

/** A person as `resolve` and `grant` need them. */
export interface ResolvedPerson {
  person: PersonRef;
  roles: Role[];
}

/** A stored identity's person, with what decides whether a newer identity is written through. */
export interface ResolvedIdentity extends ResolvedPerson {
  externalId: string;
  workspaceId: string;
  storedName: string;
  storedZone: string | null;
}

/** The rows of one identity read (people-statements.ts) as one person; undefined when there are none. */
export function toResolved(rows: IdentityRow[]): ResolvedIdentity | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const keys = new Set<string>();
  const roles = new Map<string, Role>();
  for (const row of rows) {
    keys.add(row.siblingKey);
    if (row.role !== null) roles.set(`${row.role}\n${row.scope}`, toRole({ role: row.role, scope: row.scope ?? "" }));
  }
  const person = { id: first.personId, displayName: first.displayName, timeZone: first.timeZone };
  return {
    person: toPersonRef({ ...person, identities: [...keys].map((key) => ({ key })) }),
    roles: [...roles.values()],
    externalId: first.externalId,
    workspaceId: first.workspaceId,
    storedName: first.displayName,
    storedZone: first.timeZone,
  };
}

/** The rows of a new person with their first identity (`insertPersonStatement`): named by the platform's name, else by the user id. */
export function newPersonRow(personId: string, identity: IdentityInfo, at: Date): NewPerson {
  const { platform, externalId } = splitIdentityKey(identity.key);
  return {
    personId,
    displayName: identity.displayName ?? externalId,
    email: identity.email ?? null,
    timeZone: identity.timeZone ?? null,
    key: identity.key,
    platform,
    externalId,
    workspaceId: identity.workspaceId ?? "",
    at,
  };
}

/** A new person as the core sees them: this one identity. */
export const newPersonRef = (row: NewPerson): PersonRef =>
  toPersonRef({ id: row.personId, displayName: row.displayName, timeZone: row.timeZone, identities: [{ key: row.key }] });

/** The person a stored identity belongs to, with every identity of theirs; undefined when it is not stored. */
export function personOfIdentity(database: Database): (key: string) => Promise<PersonRef | undefined> {
  const statements = peopleStatements(database.kysely);
  return async (key) => toResolved((await statements.identity({ key })).rows)?.person;
}
