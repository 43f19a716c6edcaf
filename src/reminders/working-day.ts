import { DateTime } from "luxon";
import type { IsoDate } from "../core/model.js";

/** Reminders go out from the start of the working day in REMINDER_TIMEZONE, not at midnight. */
export const WORKDAY_START_HOUR = 8;

/** The latest day whose working day has started at `now`: before 08:00 it is still yesterday. */
export function reminderDay(now: Date, timeZone: string): IsoDate {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const day = local.hour >= WORKDAY_START_HOUR ? local : local.minus({ days: 1 });
  return day.toISODate() ?? "";
}
