import type { SettingsStore } from "../../core/ports.js";
import type { Db } from "../client.js";
import { guard } from "./errors.js";

/**
 * How long a read setting is reused: every submission and move reads the triage channels.
 * A write here updates it at once; one by another replica is seen within this time (every
 * setting's readers tolerate that: triage channels, the reminder day, the self-check state).
 */
export const SETTING_TTL_MS = 5_000;

export function createSettingsStore(prisma: Db): SettingsStore {
  const cached = new Map<string, { value: string | undefined; until: number }>();
  return {
    get: (key) =>
      guard(async () => {
        const hit = cached.get(key);
        if (hit && hit.until > Date.now()) return hit.value;
        const value = (await prisma.setting.findUnique({ where: { key } }))?.value;
        cached.set(key, { value, until: Date.now() + SETTING_TTL_MS });
        return value;
      }),
    set: (key, value) =>
      guard(async () => {
        cached.delete(key);
        await prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
        cached.set(key, { value, until: Date.now() + SETTING_TTL_MS });
      }),
  };
}
