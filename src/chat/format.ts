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

/** "2026-03-02 14:05 UTC": instants in logs and history, one unambiguous zone. */
export function formatInstant(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
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
