import type { IsoDate } from "./model.js";

/**
 * Calendar-day arithmetic on `YYYY-MM-DD`. Days are computed in UTC so that adding days
 * never meets a daylight-saving change; only "today" depends on a time zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day (rejects 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const value = toUtc(date);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const value = toUtc(date);
  const day = value.getUTCDate();
  value.setUTCDate(1);
  value.setUTCMonth(value.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth() + 1, 0)).getUTCDate();
  value.setUTCDate(Math.min(day, lastDay));
  return value.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

/**
 * Formatters are costly to build and cheap to use (profiles showed them on every request and
 * every submission): one per zone and purpose, kept. Zones come from configuration and the
 * platforms' profiles, a bounded few, but the cache is bounded all the same.
 */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(purpose: "day" | "minute", timeZone: string): Intl.DateTimeFormat {
  const key = `${purpose} ${timeZone}`;
  let formatter = zoneFormatters.get(key);
  if (!formatter) {
    formatter =
      purpose === "day"
        ? new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
        : new Intl.DateTimeFormat("en-US", {
            timeZone,
            hourCycle: "h23",
            year: "numeric",
            month: "numeric",
            day: "numeric",
            hour: "numeric",
            minute: "numeric",
          });
    if (zoneFormatters.size >= 200) zoneFormatters.clear();
    zoneFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * `work` remembered per zone and minute: since 2000 every zone's offsets and changes fall on
 * whole minutes, so within one minute an instant reads the same in a zone (every card and
 * submission of a busy minute asks for the same few). Older instants are worked out each time;
 * the memory is cleared when it holds 1,000.
 */
export function perZoneMinute<T>(work: (instant: Date, timeZone: string) => T): (instant: Date, timeZone: string) => T {
  const recent = new Map<string, T>();
  return (instant, timeZone) => {
    const minute = Math.floor(instant.getTime() / 60_000);
    if (!(minute >= SINCE_2000_MINUTE)) return work(instant, timeZone);
    const key = `${timeZone}\n${minute}`;
    let value = recent.get(key);
    if (value === undefined) {
      if (recent.size >= 1_000) recent.clear();
      value = work(instant, timeZone);
      recent.set(key, value);
    }
    return value;
  };
}

const SINCE_2000_MINUTE = Date.UTC(2000, 0, 1) / 60_000;

/** The calendar day it is at `instant` in an IANA time zone. */
export const dayInZone: (instant: Date, timeZone: string) => IsoDate = perZoneMinute(formattedDay);

function formattedDay(instant: Date, timeZone: string): IsoDate {
  const parts = zoneFormatter("day", timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** `hour`:00 on `day` in an IANA zone, as an instant (Intl only: the core takes no date library). */
export function instantInZone(day: IsoDate, hour: number, timeZone: string): Date {
  const guess = new Date(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);
  const formatter = zoneFormatter("minute", timeZone);
  const offsetAt = (instant: Date) => {
    const parts = formatter.formatToParts(instant);
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute")) - instant.getTime();
  };
  const first = new Date(guess.getTime() - offsetAt(guess));
  // Once more: the offset at the answer can differ from the guess's across a DST change.
  return new Date(guess.getTime() - offsetAt(first));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** "Jan", "jan.", "January", "Sept" → 1–12. */
function monthOf(word: string): number | undefined {
  const lowered = word.toLowerCase().replace(/\.$/, "");
  const index = MONTH_NAMES.findIndex(
    (name) => lowered === name || lowered === name.slice(0, 3) || (name === "september" && lowered === "sept"),
  );
  return index >= 0 ? index + 1 : undefined;
}

function dayOf(year: number, month: number, day: number): IsoDate | undefined {
  const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return isIsoDate(text) ? text : undefined;
}

/**
 * A day as people write it: `2027-01-12`, `12 Jan 2027`, `January 12, 2027`, `1/12/2027`
 * (U.S. order: month first). Undefined when it is not a real day.
 */
export function parseHumanDate(text: string): IsoDate | undefined {
  const words = text.trim().replace(/,/g, " ").split(/\s+/).filter(Boolean);
  if (words.length === 1) {
    const [word = ""] = words;
    if (isIsoDate(word)) return word;
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(word);
    return us ? dayOf(Number(us[3]), Number(us[1]), Number(us[2])) : undefined;
  }
  if (words.length !== 3 || !/^\d{4}$/.test(words[2] ?? "")) return undefined;
  const [first = "", second = "", year = ""] = words;
  // 12 Jan 2027, or Jan 12 2027.
  const dayFirst = /^\d{1,2}$/.test(first) ? monthOf(second) : undefined;
  if (dayFirst) return dayOf(Number(year), dayFirst, Number(first));
  const monthFirst = /^\d{1,2}$/.test(second) ? monthOf(first) : undefined;
  return monthFirst ? dayOf(Number(year), monthFirst, Number(second)) : undefined;
}

/** "12 Jan 2027": a day people read without doubt about the order. */
export function formatDay(day: IsoDate): string {
  const [year, month, date] = day.split("-").map(Number);
  const name = MONTHS[(month ?? 1) - 1] ?? "";
  return `${date} ${name.charAt(0).toUpperCase()}${name.slice(1)} ${year}`;
}
