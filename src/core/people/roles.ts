import { IMPLEMENTING_AGENCIES } from "../ids/case-id.js";
import type { Role } from "../model.js";

/** Case-viewer scopes: a customer code (`BN`) or customer code and agency (`BN-D`). */
const SCOPE = /^[A-Z0-9]{2}(-[A-Z])?$/;

/** Parses `faculty`, `admin` or `case-viewer:BN` / `case-viewer:BN-D`. */
export function parseRole(text: string): Role | { error: string } {
  const value = text.trim();
  if (value === "faculty" || value === "admin") return { role: value };
  if (value.startsWith("case-viewer:")) {
    const scope = value.slice("case-viewer:".length).trim().toUpperCase();
    if (!SCOPE.test(scope)) {
      return { error: `case-viewer scope "${scope}" must be a customer code (BN) or customer code and agency (BN-D)` };
    }
    // A scope naming an agency no case can have would grant nothing, silently.
    const agency = scope.split("-")[1];
    if (agency !== undefined && !(agency in IMPLEMENTING_AGENCIES)) {
      const known = Object.entries(IMPLEMENTING_AGENCIES)
        .map(([code, name]) => `${code} ${name}`)
        .join(", ");
      return { error: `case-viewer scope "${scope}": unknown implementing agency "${agency}"; known: ${known}` };
    }
    return { role: "case-viewer", scope };
  }
  return { error: `unknown role "${value}"; roles are faculty, admin, case-viewer:<scope>` };
}

export function formatRole(role: Role): string {
  return role.role === "case-viewer" ? `case-viewer:${role.scope}` : role.role;
}
