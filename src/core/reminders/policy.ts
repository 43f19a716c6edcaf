import { addDays } from "../dates.js";
import type { IsoDate } from "../model.js";

/**
 * Which reminder of an item to send in a pass. A reminder at offset N (days before the
 * due date; negative = overdue) comes due on `due - N`. Of the reminders that came due
 * since the last pass, only the latest is sent: after downtime people get one current
 * reminder, not a flood of stale ones.
 *
 * @param sinceDay the last pass's day (exclusive); reminders that came due then were handled
 * @param untilDay this pass's day (inclusive)
 */
export function reminderOffsetToSend(
  dueDate: IsoDate,
  offsets: readonly number[],
  sinceDay: IsoDate,
  untilDay: IsoDate,
): number | undefined {
  let chosen: { offset: number; day: IsoDate } | undefined;
  for (const offset of offsets) {
    const day = addDays(dueDate, -offset);
    if (day > sinceDay && day <= untilDay && (!chosen || day > chosen.day)) chosen = { offset, day };
  }
  return chosen?.offset;
}

/** The due dates that can have a reminder coming due in (sinceDay, untilDay]: what a pass scans. */
export function dueDateWindow(offsets: readonly number[], sinceDay: IsoDate, untilDay: IsoDate): { from: IsoDate; to: IsoDate } {
  const low = Math.min(...offsets);
  const high = Math.max(...offsets);
  return { from: addDays(sinceDay, low + 1), to: addDays(untilDay, high) };
}
