import { addDays } from "../dates.js";
import type { IsoDate } from "../model.js";

/** Which days count: weekends and U.S. federal holidays do not (an adapter holds the holiday table). */
export interface WorkingCalendar {
  isWorkingDay(day: IsoDate): boolean;
}

/** The `count`-th working day after `day` (Friday + 2 = Tuesday). */
export function addWorkingDays(day: IsoDate, count: number, calendar: WorkingCalendar): IsoDate {
  let current = day;
  for (let left = count; left > 0; ) {
    current = addDays(current, 1);
    if (calendar.isWorkingDay(current)) left--;
  }
  return current;
}

/** Working days in (from, to]: how many working days have passed since `from` by the end of `to`. */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (calendar.isWorkingDay(day)) count++;
  }
  return count;
}

/** Saturday and Sunday, for calendars built on a holiday list. */
export function isWeekend(day: IsoDate): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}
