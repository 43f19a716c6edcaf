import { addDays, addMonths } from "../dates.js";
import { type LoaCategory, labelOf, type MilestoneType, SAMM } from "../domain.js";
import type { CaseRecord, IsoDate, Milestone } from "../model.js";

/** A date derived from SAMM standard timelines, shown beside the recorded milestones. */
export interface ComputedDate {
  label: string;
  date: IsoDate;
  basis: string;
}

/** The day a milestone happened, or is planned to: completed date first, else due date. */
function dayOf(milestones: Milestone[], type: MilestoneType): IsoDate | undefined {
  const milestone = milestones.find((item) => item.type === type);
  return milestone?.completedDate ?? milestone?.dueDate;
}

function has(milestones: Milestone[], type: MilestoneType): boolean {
  return milestones.some((item) => item.type === type && (item.dueDate || item.completedDate));
}

/**
 * SAMM standard dates the data allows: the standard offer date for the LOA category,
 * OED = MILAP + 85 days (FMS) or + 30 (BPC) when no OED is recorded, and closure due
 * 12 months after SSC when none is recorded.
 */
export function computeSammDates(caseRecord: CaseRecord, milestones: Milestone[]): ComputedDate[] {
  const computed: ComputedDate[] = [];
  const category = (caseRecord.type === "BPC" ? "D" : caseRecord.category) as LoaCategory | "";
  if (category !== "") {
    const rule = SAMM.offerDays[category];
    const start = dayOf(milestones, rule.from);
    if (start) {
      computed.push({
        label: "Standard LOA offer date",
        date: addDays(start, rule.days),
        basis: `Category ${category}: ${rule.days} days from ${labelOf(rule.from)}`,
      });
    }
  }
  const milap = dayOf(milestones, "MILAP");
  if (milap && !has(milestones, "OED")) {
    const days = SAMM.oedDaysAfterMilap[caseRecord.type];
    computed.push({ label: "Standard OED", date: addDays(milap, days), basis: `${caseRecord.type}: MILAP + ${days} days` });
  }
  const ssc = dayOf(milestones, "SSC");
  if (ssc && !has(milestones, "CLOSURE_DUE")) {
    const months = SAMM.closureMonthsAfterSsc;
    computed.push({ label: "Closure due", date: addMonths(ssc, months), basis: `SSC + ${months} months` });
  }
  return computed;
}
