import type { SettingsStore } from "../../core/ports.js";
import type { Db } from "../client.js";
import { guard } from "./errors.js";

export function createSettingsStore(prisma: Db): SettingsStore {
  return {
    get: (key) => guard(async () => (await prisma.setting.findUnique({ where: { key } }))?.value),
    set: (key, value) =>
      guard(async () => {
        await prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
      }),
  };
}
