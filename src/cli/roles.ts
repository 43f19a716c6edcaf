import type { Config } from "../config.js";
import { isIdentityKey } from "../core/people/identity.js";
import { formatRole, parseRole } from "../core/people/roles.js";
import { createPrismaRepositories } from "../db/repositories/index.js";
import { say, UsageError, withDatabase } from "./shared.js";

/** `roles grant|revoke IDENTITY ROLE`, `roles list`. */
export async function roles(config: Config, args: string[]): Promise<number> {
  const [action, identity, roleText] = args;
  if (action === "list") {
    return withDatabase(config, async (database) => {
      const grants = await createPrismaRepositories(database).people.listGrants();
      for (const grant of grants) say(`${grant.identityKeys.join(", ")}\t${formatRole(grant.role)}\t${grant.displayName}`);
      say(`${grants.length} role grant(s).`);
      return 0;
    });
  }
  if ((action !== "grant" && action !== "revoke") || !identity || !roleText)
    throw new UsageError("roles grant|revoke IDENTITY ROLE, or roles list");
  if (!isIdentityKey(identity)) throw new UsageError(`identity "${identity}" must look like slack:U0123ABCD or teams:<AAD object id>`);
  const role = parseRole(roleText);
  if ("error" in role) throw new UsageError(role.error);
  return withDatabase(config, async (database) => {
    const people = createPrismaRepositories(database).people;
    if (action === "grant") {
      const changed = await people.grant(identity, role, "cli");
      say(changed ? `Granted ${formatRole(role)} to ${identity}.` : `${identity} already has ${formatRole(role)}; nothing changed.`);
    } else {
      const changed = await people.revoke(identity, role);
      say(changed ? `Revoked ${formatRole(role)} from ${identity}.` : `${identity} did not have ${formatRole(role)}; nothing changed.`);
    }
    return 0;
  });
}
