/** One line of the results table: a scenario measured against its baseline in the same run. */
export interface BenchRow {
  scenario: string;
  metric: string;
  value: number;
  baseline?: number;
  /** value / baseline (or baseline-relative throughput, as `ratioLabel` says). */
  ratio?: number;
  ratioLabel?: string;
  goal?: string;
  met?: boolean;
  unit: string;
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

const fixed = (value: number | undefined, digits = 2) => (value === undefined || Number.isNaN(value) ? "" : value.toFixed(digits));

export function printTable(rows: BenchRow[]): void {
  const header = ["scenario", "metric", "value", "baseline", "ratio", "goal", "met"];
  const body = rows.map((row) => [
    row.scenario,
    row.metric,
    `${fixed(row.value, row.unit ? 2 : 0)} ${row.unit}`,
    row.baseline === undefined ? "" : `${fixed(row.baseline, row.unit ? 2 : 0)} ${row.unit}`,
    row.ratio === undefined ? "" : `${fixed(row.ratio)}×`,
    row.goal ?? "",
    row.met === undefined ? "" : row.met ? "yes" : "NO",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const cells of body) console.log(line(cells));
}

/** p50, p99 and throughput of a load run against its baseline's, as table rows. */
export function latencyRows(
  scenario: string,
  mine: { p50: number; p99: number; perSecond: number },
  base: { p50: number; p99: number; perSecond: number },
  p99Goal?: number,
): BenchRow[] {
  const p99Ratio = mine.p99 / base.p99;
  return [
    { scenario, metric: "p50", value: mine.p50, baseline: base.p50, ratio: mine.p50 / base.p50, unit: "ms" },
    {
      scenario,
      metric: "p99",
      value: mine.p99,
      baseline: base.p99,
      ratio: p99Ratio,
      ...(p99Goal ? { goal: `≤ ${p99Goal}×`, met: p99Ratio <= p99Goal } : {}),
      unit: "ms",
    },
    {
      scenario,
      metric: "throughput",
      value: mine.perSecond,
      baseline: base.perSecond,
      ratio: mine.perSecond / base.perSecond,
      unit: "req/s",
    },
  ];
}

/** Requests that failed: an error answer, a "could not save" modal, a non-ack, an owed message that never arrived. */
export function failureRows(scenario: string, ours: number, base: number): BenchRow[] {
  progress(`  ${scenario}: ${ours} failed requests (ours), ${base} (baseline)`);
  return [{ scenario: `${scenario}: failed requests`, metric: "failures", value: ours, baseline: base, unit: "" }];
}
