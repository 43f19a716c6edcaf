// `npm run bench [-- --quick]`: each scenario and its baseline, measured alternately in
// the same run, on loopback. Prints a table and one ratio line per scenario, and writes
// bench/results/latest.json. Measurements, not tests: nothing here passes or fails CI.
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { DATABASE_KINDS, POSTGRES_URL } from "../test/helpers/databases.js";
import { benchCaseLookup } from "./cases.js";
import { generateDataset, generatePostgresDataset } from "./dataset.js";
import { benchFootprint } from "./footprint.js";
import { benchImport } from "./import.js";
import { benchMail } from "./mail.js";
import { benchMailCli } from "./mail-cli.js";
import { benchReminderScaling } from "./reminders.js";
import { type BenchRow, printTable } from "./report.js";
import { benchSlack } from "./slack.js";
import { benchSubmit } from "./submit.js";
import { benchTeams } from "./teams.js";

// As bin/mission-assist.js runs the bot: Prisma's WebAssembly baseline-compiled only.
v8.setFlagsFromString("--liftoff-only");

const quick = process.argv.includes("--quick");
/** `--only slack,submit` runs a subset while working on one scenario. */
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? new Set((process.argv[onlyIndex + 1] ?? "").split(",")) : undefined;
const wanted = (name: string) => !only || only.has(name);
/** `--profile DIR`: the bot and its baselines write CPU profiles there (bench/profile-summary.ts reads them). */
const profileIndex = process.argv.indexOf("--profile");
if (profileIndex > 0) process.env.BENCH_PROFILE_DIR = path.resolve(process.argv[profileIndex + 1] ?? "bench/results/profiles");
const settings = quick
  ? {
      steadyRequests: 200,
      rounds: 3,
      submits: 500,
      lookups: 1_000,
      small: { cases: 1_000, milestones: 10_000 },
      large: { cases: 10_000, milestones: 100_000 },
      teamsRequests: 200,
      importRows: 20_000,
      mails: 1_000,
    }
  : {
      steadyRequests: 500,
      rounds: 3,
      submits: 1_000,
      lookups: 5_000,
      small: { cases: 10_000, milestones: 100_000 },
      large: { cases: 100_000, milestones: 1_000_000 },
      teamsRequests: 500,
      importRows: 100_000,
      mails: 1_000,
    };
const DUE_DAY = "2027-03-15";
const DUE = 1_000;

const sqlite = DATABASE_KINDS.find((kind) => kind.name === "sqlite")!;
const postgres = DATABASE_KINDS.find((kind) => kind.name === "postgresql");
const started = Date.now();
/** Other work on the machine when the run began (1-minute load average): numbers from a busy machine are noisy. */
const loadAtStart = loadavg()[0] ?? 0;
console.log(`Mission Assist benchmarks${quick ? " (--quick)" : ""}`);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadAtStart.toFixed(1)}`,
);
console.log(
  `settings: ${JSON.stringify(settings)}; PostgreSQL: ${POSTGRES_URL ? "on (TEST_POSTGRES_URL)" : "off (set TEST_POSTGRES_URL)"}`,
);

const rows: BenchRow[] = [];
const fresh = async <T>(kind: typeof sqlite, run: (db: Awaited<ReturnType<typeof sqlite.create>>) => Promise<T>) => {
  const db = await kind.create();
  try {
    return await run(db);
  } finally {
    await db.dispose();
  }
};

if (wanted("slack"))
  rows.push(...(await fresh(sqlite, (db) => benchSlack(db, { steadyRequests: settings.steadyRequests, rounds: settings.rounds }))));
if (wanted("submit")) {
  rows.push(...(await fresh(sqlite, (db) => benchSubmit(db, { count: settings.submits, rounds: settings.rounds }))));
  if (postgres) rows.push(...(await fresh(postgres, (db) => benchSubmit(db, { count: settings.submits, rounds: settings.rounds }))));
}
if (wanted("footprint")) rows.push(...(await benchFootprint({ rounds: settings.rounds })));
if (wanted("import")) {
  rows.push(...(await fresh(sqlite, (db) => benchImport(db, { count: settings.importRows, rounds: settings.rounds }))));
  if (postgres) rows.push(...(await fresh(postgres, (db) => benchImport(db, { count: settings.importRows, rounds: settings.rounds }))));
}
// `--only mail` runs both the pass and the CLI against Dovecot; `mail-pass` only the pass.
if (wanted("mail") || wanted("mail-pass")) {
  for (const kind of postgres ? [sqlite, postgres] : [sqlite]) {
    rows.push(...(await benchMail(kind, { count: settings.mails, rounds: settings.rounds, quick })));
    if (wanted("mail")) rows.push(...(await benchMailCli(kind, { count: settings.mails, quick })));
  }
}
if (wanted("teams"))
  rows.push(...(await fresh(sqlite, (db) => benchTeams(db, { requests: settings.teamsRequests, rounds: settings.rounds }))));

if (wanted("cases") || wanted("reminders")) {
  const small = await sqlite.create();
  const large = await sqlite.create();
  try {
    const file = (db: typeof small) => db.url.slice("file:".length);
    generateDataset(file(small), { ...settings.small, due: DUE, dueDay: DUE_DAY });
    const dataset = generateDataset(file(large), { ...settings.large, due: DUE, dueDay: DUE_DAY });
    const label = (size: { cases: number; milestones: number }) =>
      `${size.cases.toLocaleString("en-US")} cases / ${size.milestones.toLocaleString("en-US")} milestones`;
    if (wanted("cases"))
      rows.push(...(await benchCaseLookup(large, dataset.caseIds, { lookups: settings.lookups, label: label(settings.large) })));
    if (wanted("reminders")) {
      const scaling = { dueDay: DUE_DAY, rounds: settings.rounds };
      rows.push(
        ...(await benchReminderScaling({ db: small, label: label(settings.small) }, { db: large, label: label(settings.large) }, scaling)),
      );
    }
  } finally {
    await small.dispose();
    await large.dispose();
  }
}

if (postgres && wanted("reminders")) {
  const small = await postgres.create();
  const large = await postgres.create();
  try {
    await generatePostgresDataset(small.database.prisma, { ...settings.small, due: DUE, dueDay: DUE_DAY });
    await generatePostgresDataset(large.database.prisma, { ...settings.large, due: DUE, dueDay: DUE_DAY });
    const label = (size: { milestones: number }) => `PostgreSQL, ${size.milestones.toLocaleString("en-US")} milestones`;
    rows.push(
      ...(await benchReminderScaling(
        { db: small, label: label(settings.small) },
        { db: large, label: label(settings.large) },
        { dueDay: DUE_DAY, rounds: settings.rounds },
      )),
    );
  } finally {
    await small.dispose();
    await large.dispose();
  }
}

console.log("");
printTable(rows);
console.log("");
for (const row of rows.filter((item) => item.ratio !== undefined)) {
  console.log(
    `ratio ${row.scenario} ${row.metric}: ${row.ratio!.toFixed(2)}×${row.goal ? ` (goal ${row.goal}: ${row.met ? "met" : "MISSED"})` : ""}`,
  );
}
console.log("\nGoals:");
for (const row of rows.filter((item) => item.met !== undefined)) {
  const measured = row.ratio === undefined ? `${row.value.toFixed(2)} ${row.unit}` : `${row.ratio.toFixed(2)}×`;
  console.log(`  ${row.met ? "met   " : "MISSED"} ${row.scenario} ${row.metric}: ${measured} (goal ${row.goal})`);
}
const seconds = (Date.now() - started) / 1000;
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
await mkdir(out, { recursive: true });
await writeFile(
  path.join(out, "latest.json"),
  `${JSON.stringify({ at: new Date().toISOString(), quick, node: process.version, cpus: cpus().length, loadAtStart, settings, seconds, rows }, null, 2)}\n`,
);
const missed = rows.filter((row) => row.met === false).length;
console.log(
  `\nSummary: ${rows.length} measurements in ${seconds.toFixed(0)} s; ${rows.filter((row) => row.met !== undefined).length - missed} goals met, ${missed} missed. Results: bench/results/latest.json`,
);
process.exit(0);
