import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SRC = path.join(ROOT, "src");

/**
 * Bolt through src/slack/bolt.ts: Socket Mode and OAuth are loaded on first use, not with
 * Bolt (~200 modules an HTTP app never runs, issue 25 start to ready).
 */
describe("Bolt's deferred packages (src/slack/bolt.ts)", () => {
  it("is the one place src/ reads Bolt's values from", async () => {
    const entries = await readdir(SRC, { withFileTypes: true, recursive: true });
    const offenders: string[] = [];
    for (const entry of entries.filter((item) => item.isFile() && item.name.endsWith(".ts"))) {
      const file = path.join(entry.parentPath, entry.name);
      const text = await readFile(file, "utf8");
      // An ES import of Bolt's values reads every export it has, which loads OAuth.
      for (const match of text.matchAll(/import\s+(type\s+)?[^;]*?from\s+"@slack\/bolt"|(?<!typeof )import\(\s*"@slack\/bolt"\s*\)/g)) {
        if (!match[1]) offenders.push(`${path.relative(SRC, file)}: ${match[0].replace(/\s+/g, " ")}`);
      }
    }
    expect(offenders, "read Bolt's values from src/slack/bolt.ts").toEqual([]);
  });

  it("leaves Socket Mode and OAuth unloaded until an App in Socket Mode uses them", () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "test/helpers/bolt-load.ts"], { cwd: ROOT, encoding: "utf8" });
    expect(child.stderr).toBe("");
    const result = JSON.parse(child.stdout) as {
      afterImport: Record<string, number>;
      afterSocketModeApp: Record<string, number>;
      socketModeReceiver: boolean;
      client: boolean;
    };
    expect(result.afterImport).toEqual({ undici: 0, "@slack/socket-mode": 1, jsonwebtoken: 0, semver: 0 });
    expect(result.afterSocketModeApp.undici).toBeGreaterThan(0);
    expect(result.afterSocketModeApp["@slack/socket-mode"]).toBeGreaterThan(1);
    expect(result.socketModeReceiver).toBe(true);
    expect(result.client).toBe(true);
  });
});
