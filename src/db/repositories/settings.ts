import type { SettingsStore } from "../../core/ports.js";
import type { Database } from "../client.js";
import { prepare } from "../prepared.js";
import { guard } from "./errors.js";

/**
 * How long a read setting is reused: every submission and move reads the triage channels.
 * A write here updates it at once; one by another replica is seen within this time (every
 * setting's readers tolerate that: triage channels, the reminder day, the self-check state).
 */
export const SETTING_TTL_MS = 5_000;

/**
 * Settings, read and written with Kysely statements compiled once (src/db/prepared.ts): the
 * read comes on a submission's ack path every few seconds, where the client's cost would show
 * in its latency. `updatedAt` is set as the client's `@updatedAt` sets it.
 */
export function createSettingsStore(database: Database): SettingsStore {
  const db = database.kysely;
  const read = prepare<{ key: string }, { value: string }>(db, (slot) =>
    db.selectFrom("Setting").select("value").where("key", "=", slot("key")),
  );
  const write = prepare<{ key: string; value: string; at: Date }, never>(db, (slot) =>
    db
      .insertInto("Setting")
      .values({ key: slot("key"), value: slot("value"), updatedAt: slot("at") })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: slot("value"), updatedAt: slot("at") })),
  );
  const cached = new Map<string, { value: string | undefined; until: number }>();
  return {
    get: (key) =>
      guard(async () => {
        const hit = cached.get(key);
        if (hit && hit.until > Date.now()) return hit.value;
        const value = (await read({ key })).rows[0]?.value;
        cached.set(key, { value, until: Date.now() + SETTING_TTL_MS });
        return value;
      }),
    set: (key, value) =>
      guard(async () => {
        cached.delete(key);
        await write({ key, value, at: new Date() });
        cached.set(key, { value, until: Date.now() + SETTING_TTL_MS });
      }),
  };
}
