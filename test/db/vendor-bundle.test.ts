import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleVendored, redirectPrismaRuntime, VENDORED } from "../../scripts/vendor-bundles.js";
import { requireVendored } from "../../src/db/kysely.js";

const require = createRequire(import.meta.url);

/** What the compiled build requires instead of Kysely's 263 modules (scripts/vendor-bundles.js). */
describe("the vendored bundles of `npm run build`", () => {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

  it("are one file per package, exporting what the package exports, and working", async () => {
    const outDir = path.join(await mkdtemp(path.join(tmpdir(), "ma-vendor-")), "vendor");
    folders.push(path.dirname(outDir));
    expect(await bundleVendored(outDir)).toBe(true);
    expect((await readdir(outDir)).sort()).toEqual(VENDORED.map((name) => `${name}.cjs`).sort());
    for (const name of VENDORED) {
      const bundled = require(path.join(outDir, `${name}.cjs`)) as Record<string, unknown>;
      expect(Object.keys(bundled).sort()).toEqual(Object.keys(require(name) as object).sort());
    }
    const kysely = require(path.join(outDir, "kysely.cjs")) as typeof import("kysely");
    const db = new kysely.Kysely<{ person: { id: number } }>({
      dialect: {
        createAdapter: () => new kysely.SqliteAdapter(),
        createDriver: () => new kysely.DummyDriver(),
        createIntrospector: (database) => new kysely.SqliteIntrospector(database),
        createQueryCompiler: () => new kysely.SqliteQueryCompiler(),
      },
    });
    expect(db.selectFrom("person").select("id").where("id", "=", 1).compile().sql).toBe('select "id" from "person" where "id" = ?');
  });

  it("are what the compiled build requires, and replace whatever an earlier build left", async () => {
    const outDir = path.join(await mkdtemp(path.join(tmpdir(), "ma-vendor-")), "vendor");
    folders.push(path.dirname(outDir));
    await mkdir(outDir);
    await writeFile(path.join(outDir, "stale.cjs"), "module.exports = {};\n");
    await bundleVendored(outDir);
    expect((await readdir(outDir)).sort()).toEqual(VENDORED.map((name) => `${name}.cjs`).sort());
    // A compiled module beside vendor/ (dist/db/kysely.js) gets the bundle; a source one (src/db/) the package.
    const compiled = pathToFileURL(path.join(path.dirname(outDir), "db", "kysely.js")).href;
    expect(requireVendored("kysely", compiled)).toBe(require(path.join(outDir, "kysely.cjs")));
    expect(requireVendored("kysely")).toBe(require("kysely"));
  });

  it("give the compiled Prisma clients its runtime, required, with every name an ES import of it has", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "ma-vendor-"));
    folders.push(root);
    const generated = path.join(root, "db", "generated", "sqlite", "internal");
    await mkdir(generated, { recursive: true });
    await mkdir(path.join(root, "vendor"));
    // The shim requires the runtime from where it is, as dist/vendor/ does inside the project.
    await symlink(path.resolve(import.meta.dirname, "../../node_modules"), path.join(root, "node_modules"));
    // As tsc writes the generated client's imports of the runtime (the value one, and a type one it erased).
    const compiled = 'import * as runtime from "@prisma/client/runtime/client";\nexport const sqltag = runtime.sqltag;\n';
    await writeFile(path.join(generated, "class.js"), compiled);
    expect(await redirectPrismaRuntime(path.join(root, "db", "generated"), path.join(root, "vendor"))).toBe(1);
    expect(await readFile(path.join(generated, "class.js"), "utf8")).toContain('from "../../../../vendor/prisma-runtime.js";');
    const shim = (await import(pathToFileURL(path.join(root, "vendor", "prisma-runtime.js")).href)) as Record<string, unknown>;
    const esImport = (await import("@prisma/client/runtime/client")) as Record<string, unknown>;
    const runtime = require("@prisma/client/runtime/client") as Record<string, unknown>;
    expect(Object.keys(esImport).filter((name) => !(name in shim))).toEqual([]);
    for (const name of Object.keys(runtime)) expect(shim[name], name).toBe(runtime[name]);
    expect(shim.default).toBe(runtime);
  });
});
