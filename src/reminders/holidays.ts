import { createRequire } from "node:module";
import type HolidaysType from "date-holidays";
import type { IsoDate } from "../core/model.js";
import { DEFAULT_SERVICE_LEVELS, type ServiceLevels } from "../core/service-levels/policy.js";
import { isWeekend, type WorkingCalendar } from "../core/service-levels/working-days.js";

/**
 * U.S. federal working days: no weekends, no federal holidays, and the Friday or Monday a
 * holiday on a weekend is observed. The table comes from date-holidays ("public" days of
 * the US set, with their substitute days), read once per year. The library (every
 * country's rules: ~250 ms and ~25 MB) loads on first use, not when the bot starts.
 */
export function federalWorkingCalendar(): WorkingCalendar {
  let library: HolidaysType | undefined;
  const holidays = () => {
    if (!library) {
      const Holidays = createRequire(import.meta.url)("date-holidays") as typeof HolidaysType;
      library = new Holidays("US");
    }
    return library;
  };
  const byYear = new Map<number, Set<IsoDate>>();
  const holidaysOf = (year: number) => {
    let days = byYear.get(year);
    if (!days) {
      days = new Set(
        holidays()
          .getHolidays(year)
          .filter((holiday) => holiday.type === "public")
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      byYear.set(year, days);
    }
    return days;
  };
  return { isWorkingDay: (day) => !isWeekend(day) && !holidaysOf(Number(day.slice(0, 4))).has(day) };
}

/** What CoreDeps needs to count service levels: the federal calendar and the levels. */
export function serviceSettings(serviceLevels: ServiceLevels = DEFAULT_SERVICE_LEVELS) {
  return { calendar: federalWorkingCalendar(), serviceLevels };
}
