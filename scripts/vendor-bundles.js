// Packages `npm run build` bundles, each into one CommonJS file under dist/vendor/, which the
// compiled build requires instead of the package's own files: Kysely's CommonJS build is 263
// modules, and resolving and compiling each cost `serve` ~110 ms of CPU more than one file
// with the same code. Source runs (tsx, the tests) require the package itself.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

export const VENDORED = ["kysely"];

/**
 * Writes `<outDir>/<name>.cjs` for each vendored package; false (nothing written) without
 * esbuild, which comes with tsx and vitest: the compiled build then requires the packages.
 */
export async function bundleVendored(outDir) {
  // Never a bundle left from an earlier install beside the package it no longer matches.
  await rm(outDir, { recursive: true, force: true });
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return false;
  }
  for (const name of VENDORED) {
    await esbuild.build({
      entryPoints: [require.resolve(name)],
      outfile: path.join(outDir, `${name}.cjs`),
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      logLevel: "warning",
    });
  }
  return true;
}

const PRISMA_RUNTIME = "@prisma/client/runtime/client";

/**
 * The compiled Prisma clients (dist/db/generated/*) import Prisma's runtime, one CommonJS
 * file of 200 KB, as an ES module: Node then scans its source for the export names first,
 * which cost `serve` ~100 ms of CPU more than requiring it. The build gives them an ES
 * module at `<outDir>/prisma-runtime.js` that requires the runtime and exports each of its
 * names, listed here from the installed runtime. Returns how many imports it redirected.
 */
export async function redirectPrismaRuntime(generatedDir, outDir) {
  const names = Object.keys(require(PRISMA_RUNTIME)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
  await writeFile(
    path.join(outDir, "prisma-runtime.js"),
    `// Written by scripts/vendor-bundles.js: ${PRISMA_RUNTIME} required, not scanned as an ES import.
import { createRequire } from "node:module";
const runtime = createRequire(import.meta.url)(${JSON.stringify(PRISMA_RUNTIME)});
export default runtime;
export const { ${names.join(", ")} } = runtime;
`,
  );
  let redirected = 0;
  for (const entry of await readdir(generatedDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await readFile(file, "utf8");
    const shim = path.relative(entry.parentPath, path.join(outDir, "prisma-runtime.js")).split(path.sep).join("/");
    const changed = text.replaceAll(`from "${PRISMA_RUNTIME}";`, () => {
      redirected++;
      return `from "${shim.startsWith(".") ? shim : `./${shim}`}";`;
    });
    if (changed !== text) await writeFile(file, changed);
  }
  return redirected;
}
