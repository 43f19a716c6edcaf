// The store hook of the "bare Bolt app that stores" (bench/bare-bolt.js with BARE_STORE): one
// submission's rows with better-sqlite3 in one transaction, as the submission bench's baseline.
import { sqliteRaw } from "./raw-writes.js";

const raw = sqliteRaw(process.env.BARE_DB_FILE ?? "", process.env.BARE_PERSON_ID ?? "");
export const store = (): void => raw.insert();
