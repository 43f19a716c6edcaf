import { addDays, dayInZone } from "../core/dates.js";
import type { MilestoneType } from "../core/domain.js";
import type { Database } from "./client.js";

/**
 * A few fictional cases of Bandaria (BN), the SAMM's example country, so a newcomer has
 * something to look up. Dates are set relative to today so reminders and `upcoming`
 * show something on the first run.
 */
const DEMO_CASES = [
  {
    id: "BN-B-SAA",
    title: "Light tactical vehicles and spares",
    programOffice: "PM Light Tactical Vehicles",
    status: "IMPLEMENTED",
    type: "FMS",
    category: "B",
  },
  {
    id: "BN-D-YAB",
    title: "Air traffic control radar upgrade",
    programOffice: "AFLCMC International",
    status: "OFFERED",
    type: "FMS",
    category: "C",
  },
  {
    id: "BN-P-GAC",
    title: "Coastal patrol boat training",
    programOffice: "NIPO / PEO Ships",
    status: "PRE_OFFER",
    type: "FMS",
    category: "A",
  },
  {
    id: "BN-B-ZAD",
    title: "Section 333 border security equipment",
    programOffice: "DASA(DE&C) BPC",
    status: "IMPLEMENTED",
    type: "BPC",
    category: "D",
  },
] as const;

const DEMO_MILESTONES: Array<{ caseId: string; type: MilestoneType; dueIn: number; done?: boolean; note?: string }> = [
  { caseId: "BN-B-SAA", type: "LOR_RECEIVED", dueIn: -400, done: true },
  { caseId: "BN-B-SAA", type: "ACCEPTED", dueIn: -200, done: true },
  { caseId: "BN-B-SAA", type: "CASE_REVIEW", dueIn: 7, note: "Annual case review with the Bandarian MOD" },
  { caseId: "BN-B-SAA", type: "PAYMENT_DUE", dueIn: 21 },
  { caseId: "BN-D-YAB", type: "LOR_RECEIVED", dueIn: -160, done: true },
  { caseId: "BN-D-YAB", type: "LOR_ACTIONABLE", dueIn: -140, done: true },
  { caseId: "BN-D-YAB", type: "MILAP", dueIn: -70, done: true },
  { caseId: "BN-D-YAB", type: "OED", dueIn: 14, note: "Partner signature expected" },
  { caseId: "BN-P-GAC", type: "LOR_RECEIVED", dueIn: -20, done: true },
  { caseId: "BN-P-GAC", type: "LOR_ACTIONABLE", dueIn: 1, note: "Pricing data still missing" },
  { caseId: "BN-B-ZAD", type: "IMPLEMENTED", dueIn: -90, done: true },
  { caseId: "BN-B-ZAD", type: "FUNDS_EXPIRE", dueIn: 30, note: "FY funds expire; obligate before this date" },
];

const MARKER = "demo-data-loaded";

/** Loads the demo cases once, into an empty database. Returns whether it did. */
export async function loadDemoDataOnce(database: Database, timeZone: string, now: Date): Promise<boolean> {
  const { prisma } = database;
  if (await prisma.setting.findUnique({ where: { key: MARKER } })) return false;
  if ((await prisma.case.count()) > 0) return false;
  const today = dayInZone(now, timeZone);
  await database.interactive(async (tx) => {
    await tx.case.createMany({ data: DEMO_CASES.map((item) => ({ ...item, partner: "Bandaria" })) });
    await tx.milestone.createMany({
      data: DEMO_MILESTONES.map((item) => ({
        caseId: item.caseId,
        type: item.type,
        dueDate: addDays(today, item.dueIn),
        completedDate: item.done ? addDays(today, item.dueIn) : null,
        note: item.note ?? "",
      })),
    });
    await tx.setting.create({ data: { key: MARKER, value: now.toISOString() } });
  });
  return true;
}
