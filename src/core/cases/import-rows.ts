import { z } from "zod";
import { isIsoDate } from "../dates.js";
import { CASE_STATUSES, CASE_TYPES, LOA_CATEGORIES, labelOf, MILESTONE_TYPES } from "../domain.js";
import { parseCaseId } from "../ids/case-id.js";
import type { CaseRecord, IsoDate } from "../model.js";

/**
 * Row rules for `import cases` and `import milestones`. Every row is checked before
 * anything is written; errors carry the file's line number.
 */

export const CASE_COLUMNS = ["case_id", "title", "partner", "program_office", "status", "type", "category"] as const;
export const MILESTONE_COLUMNS = ["case_id", "milestone", "due_date", "completed_date", "note"] as const;

export interface RowError {
  line: number;
  message: string;
}

export interface MilestoneImport {
  /** The file's line, for errors found later (an unknown case). */
  line: number;
  caseId: string;
  type: (typeof MILESTONE_TYPES)[number];
  dueDate: IsoDate;
  completedDate?: IsoDate;
  note: string;
}

const caseIdField = z.string().transform((value, context) => {
  const parsed = parseCaseId(value);
  if (!parsed.ok) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message });
    return z.NEVER;
  }
  return parsed.value;
});

const cell = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (value) =>
      String(value ?? "")
        .trim()
        .toUpperCase(),
    z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(", ")}` }) }),
  );
const date = (required: boolean) =>
  z
    .string()
    .trim()
    .refine(
      (value) => (value === "" ? !required : isIsoDate(value)),
      required ? "must be a date YYYY-MM-DD" : "must be a date YYYY-MM-DD or empty",
    );

const CaseRow = z.object({
  case_id: caseIdField,
  title: cell(300),
  partner: cell(200),
  program_office: cell(200),
  status: oneOf(CASE_STATUSES),
  type: z.preprocess(
    (value) =>
      String(value ?? "")
        .trim()
        .toUpperCase() || "FMS",
    z.enum(CASE_TYPES, { errorMap: () => ({ message: "must be FMS, BPC or empty" }) }),
  ),
  category: z.preprocess(
    (value) =>
      String(value ?? "")
        .trim()
        .toUpperCase(),
    z.union([z.literal(""), z.enum(LOA_CATEGORIES)], { errorMap: () => ({ message: "must be A, B, C, D or empty" }) }),
  ),
});

/** Compared without case, spaces, punctuation: "LOR received", "lor_received", "Offer expiration (OED)". */
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
const MILESTONE_BY_NAME = new Map<string, (typeof MILESTONE_TYPES)[number]>(
  MILESTONE_TYPES.flatMap((type) => [
    [squash(type), type],
    [squash(labelOf(type)), type],
  ]),
);

/** A milestone type by its code or by the name the bot shows for it. */
const milestoneType = z.string().transform((value, context) => {
  const type = MILESTONE_BY_NAME.get(squash(value));
  if (!type) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be a milestone type, e.g. LOR_RECEIVED or "LOR received" (see README)`,
    });
    return z.NEVER;
  }
  return type;
});

const MilestoneRow = z.object({
  case_id: caseIdField,
  milestone: milestoneType,
  due_date: date(true),
  completed_date: date(false),
  note: cell(1000),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "row"}: ${issue.message}`).join("; ");
}

/** Line numbers are the file's: the header is line 1, the first record line 2. */
export function validateCaseRows(rows: Record<string, string>[]): { cases: CaseRecord[]; errors: RowError[] } {
  const cases: CaseRecord[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    const parsed = CaseRow.safeParse(row);
    if (!parsed.success) {
      errors.push({ line, message: describeIssues(parsed.error) });
      continue;
    }
    const { case_id: caseId, type } = parsed.data;
    let category = parsed.data.category;
    if (type === "BPC") {
      if (category !== "" && category !== "D") {
        errors.push({ line, message: "category: BPC cases are always category D" });
        continue;
      }
      category = "D";
    }
    if (caseId.suffix) {
      errors.push({ line, message: `case_id: give the case (${caseId.id}), not a document (${caseId.full})` });
      continue;
    }
    const firstLine = seen.get(caseId.id);
    if (firstLine) {
      errors.push({ line, message: `case_id: ${caseId.id} is already on line ${firstLine}` });
      continue;
    }
    seen.set(caseId.id, line);
    // Masked cases are handled as Confidential: only id, status and dates are kept.
    const masked = caseId.masked;
    cases.push({
      id: caseId.id,
      title: masked ? "" : parsed.data.title,
      partner: masked ? "" : parsed.data.partner,
      programOffice: masked ? "" : parsed.data.program_office,
      status: parsed.data.status,
      type,
      category: masked ? "" : category,
      masked,
    });
  }
  return { cases, errors };
}

export function validateMilestoneRows(rows: Record<string, string>[]): { milestones: MilestoneImport[]; errors: RowError[] } {
  const milestones: MilestoneImport[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    const parsed = MilestoneRow.safeParse(row);
    if (!parsed.success) {
      errors.push({ line, message: describeIssues(parsed.error) });
      continue;
    }
    const key = `${parsed.data.case_id.id} ${parsed.data.milestone}`;
    const firstLine = seen.get(key);
    if (firstLine) {
      errors.push({ line, message: `${parsed.data.milestone} of ${parsed.data.case_id.id} is already on line ${firstLine}` });
      continue;
    }
    seen.set(key, line);
    milestones.push({
      line,
      caseId: parsed.data.case_id.id,
      type: parsed.data.milestone,
      dueDate: parsed.data.due_date,
      completedDate: parsed.data.completed_date || undefined,
      note: parsed.data.case_id.masked ? "" : parsed.data.note,
    });
  }
  return { milestones, errors };
}
