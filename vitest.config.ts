import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The end-to-end files (whole Bolt / teams-ai servers, CLI processes) open their database
 * through END_TO_END_DATABASE (test/helpers/databases.ts). They run once per database as a
 * project of their own, rather than every test twice inside each file; a file joins by using
 * that constant, so a new end-to-end file runs on PostgreSQL without being listed anywhere.
 */
function endToEndFiles(): string[] {
  const files = readdirSync("test", { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => path.posix.join("test", file.split(path.sep).join("/")));
  return files.filter((file) => readFileSync(file, "utf8").includes("END_TO_END_DATABASE"));
}

const postgres = process.env.TEST_POSTGRES_URL;

export default defineConfig({
  test: {
    // Fails any test during which a promise was rejected with nobody awaiting it.
    setupFiles: ["test/setup/no-unhandled-rejections.ts"],
    // Each file opens its own databases; two cores, so keep the pool small.
    pool: "forks",
    maxWorkers: 2,
    // Timeouts only stop a hung test; CLI tests spawn processes, slow on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: [
      // Every file; repository tests run on each database inside the file, end-to-end ones on SQLite.
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"] } },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: "postgresql end-to-end",
                include: endToEndFiles(),
                env: { TEST_END_TO_END_DATABASE: "postgresql" },
              },
            },
          ]
        : []),
    ],
  },
});
