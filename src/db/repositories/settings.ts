import type { Db } from "../client.js";
import { guard } from "./errors.js";

/** Small named settings (triage channel per platform, demo-data marker). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function createSettingsStore(prisma: Db): SettingsStore {
  return {
    get: (key) => guard(async () => (await prisma.setting.findUnique({ where: { key } }))?.value),
    set: (key, value) =>
      guard(async () => {
        await prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
      }),
  };
}
