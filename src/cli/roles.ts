import type { Config } from "../config.js";
import { identityKeyProblem, isIdentityKey } from "../core/people/identity.js";
import { formatRole, parseRole } from "../core/people/roles.js";
import { createPrismaRepositories } from "../db/repositories/index.js";
import { BadValueError, say, UsageError, withDatabase } from "./shared.js";

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
  // Revoke takes any stored form, so a grant made before these checks can still be taken back.
  const identityProblem =
    action === "grant" ? identityKeyProblem(identity) : isIdentityKey(identity) ? undefined : identityKeyProblem(identity);
  if (identityProblem) throw new BadValueError(identityProblem);
  const role = parseRole(roleText);
  if ("error" in role) throw new BadValueError(role.error);
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
