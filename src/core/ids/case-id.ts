/**
 * FMS/BPC case identifiers: `CC-I-DDD` with an optional document suffix
 * (`-BASIC`, `-A01` amendment, `-M01` modification).
 */

/** Implementing agency codes, as data: add a row here, not a regex alternation. */
export const IMPLEMENTING_AGENCIES: Readonly<Record<string, string>> = {
  B: "Army",
  D: "Air Force (and Space Force)",
  P: "Navy (and Marine Corps, Coast Guard)",
  F: "DCMA",
  R: "DLA (legacy)",
};

/** The customer code used for Confidential handling before congressional notification. */
export const MASKED_CUSTOMER_CODE = "XX";

export interface CaseId {
  /** The case: `BN-B-SAA`. Cases are stored and looked up by this. */
  id: string;
  customerCode: string;
  agency: string;
  designator: string;
  /** `BASIC`, `A01`, `M01`; absent when none was given. */
  suffix?: string;
  /** The id as written, normalised: `BN-B-SAA-A01`. */
  full: string;
  masked: boolean;
}

export type CaseIdPart = "customer code" | "implementing agency" | "case designator" | "document suffix";

export type CaseIdResult = { ok: true; value: CaseId } | { ok: false; part: CaseIdPart | "format"; message: string };

const ALNUM = /^[A-Z0-9]+$/;

function fail(part: CaseIdPart | "format", message: string): CaseIdResult {
  return { ok: false, part, message };
}

/** Splits `BN-B-SAA-A1`, `bn b saa a1` or `BNBSAAA1` into its parts. */
function splitParts(text: string): string[] {
  const tokens = text.split(/[\s-]+/).filter(Boolean);
  if (tokens.length >= 3) return tokens;
  const joined = tokens.join("");
  const parts = [joined.slice(0, 2), joined.slice(2, 3), joined.slice(3, 6)];
  if (joined.length > 6) parts.push(joined.slice(6));
  return parts;
}

function normaliseSuffix(raw: string): string | CaseIdResult {
  if (raw === "BASIC") return raw;
  const match = /^([AM])(\d{1,2})$/.exec(raw);
  if (!match) {
    return fail("document suffix", `document suffix "${raw}" must be BASIC, A01–A99 (amendment) or M01–M99 (modification)`);
  }
  const number = Number(match[2]);
  if (number === 0) return fail("document suffix", `document suffix "${raw}": amendments and modifications count from 01`);
  return `${match[1]}${String(number).padStart(2, "0")}`;
}

export function parseCaseId(input: string): CaseIdResult {
  const text = input.trim().toUpperCase();
  if (text === "") return fail("format", "a case id is needed, for example BN-B-SAA");
  // "XYZ" is a short word, not a case id with an unknown agency "Z".
  const joined = text.replace(/[\s-]+/g, "");
  if (text.split(/[\s-]+/).filter(Boolean).length < 3 && joined.length < 6) {
    return fail("format", `id is too short: ${joined.length} letters or digits, where a case id has 6 (CC, I, DDD)`);
  }
  const parts = splitParts(text);
  if (parts.length > 4) return fail("format", `"${input.trim()}" has too many parts; expected CC-I-DDD, for example BN-B-SAA`);
  const [customerCode = "", agency = "", designator = "", rawSuffix] = parts;

  if (customerCode.length !== 2 || !ALNUM.test(customerCode)) {
    return fail("customer code", `customer code "${customerCode}" must be 2 letters or digits (e.g. BN)`);
  }
  if (agency.length !== 1 || !/^[A-Z]$/.test(agency)) {
    return fail("implementing agency", `implementing agency "${agency}" must be a single letter (B Army, D Air Force, P Navy)`);
  }
  if (!(agency in IMPLEMENTING_AGENCIES)) {
    const known = Object.entries(IMPLEMENTING_AGENCIES)
      .map(([code, name]) => `${code} ${name}`)
      .join(", ");
    return fail("implementing agency", `unknown implementing agency "${agency}"; known: ${known}`);
  }
  if (designator.length !== 3 || !ALNUM.test(designator)) {
    const problem =
      designator.length < 3 ? "is too short" : designator.length > 3 ? "is too long" : "has a character that is not a letter or digit";
    return fail("case designator", `case designator "${designator}" ${problem}; it is 3 letters or digits (e.g. SAA)`);
  }
  let suffix: string | undefined;
  if (rawSuffix !== undefined) {
    const normalised = normaliseSuffix(rawSuffix);
    if (typeof normalised !== "string") return normalised;
    suffix = normalised;
  }
  const id = `${customerCode}-${agency}-${designator}`;
  return {
    ok: true,
    value: {
      id,
      customerCode,
      agency,
      designator,
      suffix,
      full: suffix ? `${id}-${suffix}` : id,
      masked: customerCode === MASKED_CUSTOMER_CODE,
    },
  };
}

const shownId = (input: string) => (input.trim().length > 30 ? `${input.trim().slice(0, 30)}…` : input.trim());

/** What a person reads for a wrong case id: what a right one looks like, then what is wrong. */
export function caseIdProblem(input: string, message: string): string {
  return `"${shownId(input)}" is not a case id: case ids look like CC-I-DDD, for example BN-B-SAA; here the ${message}`;
}

/** Several wrong case ids: the format once, then each id with its own reason. */
export function caseIdProblems(problems: ReadonlyArray<{ caseId: string; message: string }>): string {
  const each = problems.map(({ caseId, message }) => `"${shownId(caseId)}": ${message}`).join("; ");
  return `${problems.length} of these are not case ids (case ids look like CC-I-DDD, for example BN-B-SAA): ${each}`;
}
