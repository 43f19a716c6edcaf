import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createKysely, sql } from "../../src/db/kysely.js";

const SRC = path.resolve(import.meta.dirname, "../../src");
const require = createRequire(import.meta.url);

/**
 * Kysely is loaded once, as CommonJS, through src/db/kysely.ts: its ES build is 263
 * modules and cost `npm start` ~90 ms more CPU (issue 25, start to ready), and a second
 * copy beside it would build statements one copy's checks do not know.
 */
describe("Kysely's one copy (src/db/kysely.ts)", () => {
  it("is imported for its types only everywhere else in src/", async () => {
    const entries = await readdir(SRC, { withFileTypes: true, recursive: true });
    const offenders: string[] = [];
    for (const entry of entries.filter((item) => item.isFile() && item.name.endsWith(".ts"))) {
      const file = path.join(entry.parentPath, entry.name);
      const text = await readFile(file, "utf8");
      // Every import from "kysely" but `import type …` and `typeof import("kysely")` loads its ES build.
      for (const match of text.matchAll(/import\s+(type\s+)?[^;]*?from\s+"kysely"|(?<!typeof )import\(\s*"kysely"\s*\)/g)) {
        if (!match[1]) offenders.push(`${path.relative(SRC, file)}: ${match[0].replace(/\s+/g, " ")}`);
      }
    }
    expect(offenders, "import values from src/db/kysely.ts (or add them there), not from kysely's ES build").toEqual([]);
  });

  it("is the CommonJS build, for the sql tag and every instance", async () => {
    const commonJs = require("kysely") as typeof import("kysely");
    expect(sql).toBe(commonJs.sql);
    const db = createKysely("sqlite", async () => {
      throw new Error("not connected");
    });
    expect(db).toBeInstanceOf(commonJs.Kysely);
    expect(sql`SELECT ${1}`.compile(db).sql).toBe("SELECT ?");
  });
});
