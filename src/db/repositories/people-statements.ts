import type { Kysely } from "kysely";
import type { DB } from "../kysely.js";
import { prepare } from "../prepared.js";

/**
 * One row of `identity`: the identity and its person, once per (identity of that person,
 * role grant) pair; `role` and `scope` are null for a person with no grants.
 */
export interface IdentityRow {
  externalId: string;
  workspaceId: string;
  personId: string;
  displayName: string;
  timeZone: string | null;
  siblingKey: string;
  role: string | null;
  scope: string | null;
}

/**
 * The statements that resolve a requester, compiled once (src/db/prepared.ts); a new one is
 * stored by `insertPersonStatement` (src/db/dialect.ts). Every new requester's first
 * submission resolves them, and through Prisma's client (a nested include, a create with
 * include, a re-read) that was about 8 statements.
 */
export function peopleStatements(db: Kysely<DB>) {
  return {
    /** The identity, its person, every identity of that person and their grants: no row when the key is unknown. */
    identity: prepare<{ key: string }, IdentityRow>(db, (slot) =>
      db
        .selectFrom("Identity as identity")
        .innerJoin("Person as person", "person.id", "identity.personId")
        .innerJoin("Identity as sibling", "sibling.personId", "identity.personId")
        .leftJoin("RoleGrant as roleGrant", "roleGrant.personId", "identity.personId")
        .select([
          "identity.externalId",
          "identity.workspaceId",
          "identity.personId",
          "person.displayName",
          "person.timeZone",
          "sibling.key as siblingKey",
          "roleGrant.role",
          "roleGrant.scope",
        ])
        .where("identity.key", "=", slot("key"))
        // Grants in their unique index's order, as the client listed them on SQLite.
        .orderBy("roleGrant.role")
        .orderBy("roleGrant.scope"),
    ),
    workspace: prepare<{ key: string; workspaceId: string }, never>(db, (slot) =>
      db
        .updateTable("Identity")
        .set({ workspaceId: slot("workspaceId") })
        .where("key", "=", slot("key")),
    ),
    /** A new name or zone (null keeps the stored one), and `updatedAt` as the client's `@updatedAt` sets it. */
    renamePerson: prepare<{ id: string; displayName: string | null; timeZone: string | null; updatedAt: Date }, never>(db, (slot) =>
      db
        .updateTable("Person")
        .set((eb) => ({
          displayName: eb.fn.coalesce(eb.val(slot("displayName")), eb.ref("displayName")),
          timeZone: eb.fn.coalesce(eb.val(slot("timeZone")), eb.ref("timeZone")),
          updatedAt: slot("updatedAt"),
        }))
        .where("id", "=", slot("id")),
    ),
  };
}
