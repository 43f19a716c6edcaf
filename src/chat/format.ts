import { perZoneMinute } from "../core/dates.js";
import { labelOf } from "../core/domain.js";

/** "3 days", "5 hours", "12 minutes": how long something has waited. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** "1 working day", "3 working days": service levels count only working days. */
export const workingDays = (count: number) => `${count} working day${count === 1 ? "" : "s"}`;

/** "in 3 days", "today", "2 days overdue". */
export function formatDaysLeft(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days > 0) return `in ${days} days`;
  return days === -1 ? "1 day overdue" : `${-days} days overdue`;
}

/** Formatters are costly to build: one per zone, with the zone's name as the reader knows it. */
const instantFormatters = new Map<string, { formatter: Intl.DateTimeFormat; zone: string }>();

function instantFormatter(timeZone: string): { formatter: Intl.DateTimeFormat; zone: string } {
  let entry = instantFormatters.get(timeZone);
  if (!entry) {
    const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;
    try {
      entry = { formatter: new Intl.DateTimeFormat("en-US", { ...options, timeZone, timeZoneName: "short" }), zone: timeZone };
    } catch {
      // Zones are checked where they come in; a stored one this Node no longer knows reads as UTC.
      entry = { formatter: new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC", timeZoneName: "short" }), zone: "UTC" };
    }
    instantFormatters.set(timeZone, entry);
  }
  return entry;
}

/**
 * "2026-03-02 12:05 EST (America/New_York)": an instant (a change, a history line) in the
 * reader's zone, named, so nobody has to guess; "2026-03-02 17:05 UTC" in UTC. Calendar
 * dates (preferred dates, due dates) are never passed through this: they do not shift.
 */
export const formatInstant: (at: Date, timeZone: string) => string = perZoneMinute(formatted);

function formatted(at: Date, timeZone: string): string {
  const { formatter, zone } = instantFormatter(timeZone);
  const parts = formatter.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? "";
  const short = get("timeZoneName");
  // "UTC" and "Etc/UTC" need no second name; every other zone is named in full.
  const named = short === "UTC" && /^(Etc\/)?(UTC|GMT)$/.test(zone) ? short : `${short} (${zone})`;
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")} ${named}`;
}

/** The zone a person reads dates in: the one their platform gives, else the configured one. */
export function readerZone(reader: { timeZone?: string } | undefined, configured: string): string {
  return reader?.timeZone ?? configured;
}

export function formatList(values: readonly string[]): string {
  return values.map(labelOf).join(", ");
}

export const STATUS_ICONS: Readonly<Record<string, string>> = {
  SUBMITTED: "🆕",
  NEEDS_INFO: "❓",
  ACCEPTED: "✅",
  SCHEDULED: "📅",
  DELIVERED: "🏁",
  DECLINED: "⛔",
  WITHDRAWN: "↩️",
};

export function statusLabel(status: string): string {
  return `${STATUS_ICONS[status] ?? ""} ${labelOf(status)}`.trim();
}
