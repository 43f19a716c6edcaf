import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { addDays } from "../src/core/dates.js";
import { MILESTONE_TYPES } from "../src/core/domain.js";
import { progress } from "./report.js";
import { seededRandom } from "./stats.js";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const AGENCIES = ["B", "D", "P"];

/** Case id number `index` → a valid, unique id such as `K7-D-A3Q`. */
export function caseIdAt(index: number): string {
  const pick = (value: number, count: number) => {
    let text = "";
    for (let position = 0; position < count; position++) {
      text = LETTERS[value % LETTERS.length] + text;
      value = Math.floor(value / LETTERS.length);
    }
    return text;
  };
  const designator = pick(index, 3);
  const rest = Math.floor(index / LETTERS.length ** 3);
  return `${pick(rest % (LETTERS.length * LETTERS.length), 2)}-${AGENCIES[Math.floor(rest / (LETTERS.length * LETTERS.length)) % 3]}-${designator}`;
}

export interface Dataset {
  caseIds: string[];
  /** Cases that have the milestones due on `dueDay`, each subscribed by one channel. */
  dueCaseIds: string[];
}

/**
 * Fills a migrated SQLite file with `cases` cases and `milestones` milestones (fixed
 * seed): exactly `due` milestones fall on `dueDay`, the rest years away from it.
 */
export function generateDataset(
  file: string,
  options: { cases: number; milestones: number; due: number; dueDay: string; seed?: number },
): Dataset {
  const random = seededRandom(options.seed ?? 20261122);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = new Date().toISOString();
  const insertCase = db.prepare(
    `INSERT INTO "Case" ("id","title","partner","programOffice","status","type","category","masked","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,0,?,?)`,
  );
  const insertMilestone = db.prepare(
    `INSERT INTO "Milestone" ("id","caseId","type","dueDate","completedDate","note","updatedAt") VALUES (?,?,?,?,?,?,?)`,
  );
  const insertSubscription = db.prepare(
    `INSERT INTO "Subscription" ("id","platform","conversationId","targetType","targetId","createdById","createdAt") VALUES (?,?,?,?,?,?,?)`,
  );
  const caseIds = Array.from({ length: options.cases }, (_, index) => caseIdAt(index));
  const perCase = Math.ceil(options.milestones / options.cases);
  const dueCaseIds = caseIds.slice(0, options.due);
  progress(`generating ${options.cases.toLocaleString("en-US")} cases and ${options.milestones.toLocaleString("en-US")} milestones`);
  let written = 0;
  const batch = db.transaction((from: number, to: number) => {
    for (let caseIndex = from; caseIndex < to; caseIndex++) {
      const caseId = caseIds[caseIndex]!;
      insertCase.run(caseId, `Case ${caseId}`, "Partner", "PMO", random() < 0.1 ? "CLOSED" : "IMPLEMENTED", "FMS", "B", now, now);
      for (let slot = 0; slot < perCase && written < options.milestones; slot++, written++) {
        const type = MILESTONE_TYPES[slot % MILESTONE_TYPES.length]!;
        const isDue = caseIndex < options.due && slot === 0;
        // Everything else is due 2–6 years before or after the due day: never in a pass's window.
        const offset = Math.floor(730 + random() * 1460) * (random() < 0.5 ? -1 : 1);
        const dueDate = isDue ? options.dueDay : addDays(options.dueDay, offset);
        insertMilestone.run(randomUUID(), caseId, type, dueDate, !isDue && random() < 0.3 ? dueDate : null, "", now);
      }
      if (caseIndex < options.due) insertSubscription.run(randomUUID(), "slack", `C${caseIndex % 100}`, "case", caseId, "bench", now);
    }
  });
  const chunk = 5_000;
  for (let from = 0; from < options.cases; from += chunk) {
    batch(from, Math.min(options.cases, from + chunk));
    if ((from / chunk) % 5 === 4) progress(`  ${written.toLocaleString("en-US")} milestones written`);
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { caseIds, dueCaseIds };
}
