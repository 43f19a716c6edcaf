// Packages `npm run build` bundles, each into one CommonJS file under dist/vendor/, which the
// compiled build requires instead of the package's own files: Kysely's CommonJS build is 263
// modules, and resolving and compiling each cost `serve` ~110 ms of CPU more than one file
// with the same code. Source runs (tsx, the tests) require the package itself.
import { rm } from "node:fs/promises";
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
