import type { Config } from "../config.js";
import { systemClock } from "../core/clock.js";
import { addDays, dayInZone, isIsoDate } from "../core/dates.js";
import { labelOf } from "../core/domain.js";
import type { Actor } from "../core/model.js";
import { REPORT_DEFAULT_DAYS, reportRows, serviceReport } from "../core/service-levels/report.js";
import { createPrismaRepositories } from "../db/repositories/index.js";
import { serviceSettings } from "../reminders/holidays.js";
import { serviceLevelsOf } from "../settings.js";
import { toCsv } from "./csv.js";
import { BadValueError, say, withDatabase } from "./shared.js";

/** Whoever can run the command line operates the bot: the report is theirs to read. */
const OPERATOR: Actor = {
  id: "operator",
  displayName: "command line",
  identityKeys: [],
  identityKey: "operator",
  roles: [{ role: "admin" }],
};

/** `report [--from DAY] [--to DAY] [--format text|csv|json]`: the service report, to stdout. */
export async function report(config: Config, values: { from?: string; to?: string; format?: string }): Promise<number> {
  const format = values.format ?? "text";
  if (format !== "text" && format !== "csv" && format !== "json") {
    throw new BadValueError(`--format "${format}" is not a report format: choose text, csv or json`);
  }
  for (const [option, day] of [
    ["--from", values.from],
    ["--to", values.to],
  ] as const) {
    if (day !== undefined && !isIsoDate(day))
      throw new BadValueError(`${option} "${day}" is not a date: give YYYY-MM-DD, for example 2026-11-01`);
  }
  const to = values.to ?? dayInZone(new Date(), config.REMINDER_TIMEZONE);
  const from = values.from ?? addDays(to, -(REPORT_DEFAULT_DAYS - 1));
  const result = await withDatabase(config, (database) => {
    const core = {
      ...createPrismaRepositories(database),
      clock: systemClock,
      timeZone: config.REMINDER_TIMEZONE,
      ...serviceSettings(serviceLevelsOf(config)),
    };
    return serviceReport(core, OPERATOR, from, to);
  });
  if (format === "json") {
    say(JSON.stringify(result, null, 2));
    return 0;
  }
  const rows = reportRows(result);
  if (format === "csv") {
    process.stdout.write(
      toCsv(
        ["section", "item", "value"],
        rows.map(([section, item, value]) => ({ section, item, value })),
      ),
    );
    return 0;
  }
  // Text is read by people: statuses, components and support types by their labels, as in
  // chat (CSV and JSON keep the codes, for scripts).
  const labelled = new Set(["status", "component", "support type", "lifecycle phase", "feedback by component"]);
  let section = "";
  for (const [name, item, value] of rows) {
    if (name !== section) say(`${name}:`);
    section = name;
    say(`  ${labelled.has(name) ? labelOf(item) : item}: ${value === "" ? "-" : value}`);
  }
  return 0;
}
