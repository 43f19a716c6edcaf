import type { CoreDeps } from "../deps.js";

/** Every identity of every admin: who is told when the bot needs a person (self-check, escalations). */
export async function adminIdentityKeys(deps: Pick<CoreDeps, "people">): Promise<string[]> {
  const grants = await deps.people.listGrants();
  return grants.filter((grant) => grant.role.role === "admin").flatMap((grant) => grant.identityKeys);
}
