import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Fails any test during which a promise was rejected with nobody awaiting it.
    setupFiles: ["test/setup/no-unhandled-rejections.ts"],
    // Each file opens its own databases; two cores, so keep the pool small.
    pool: "forks",
    maxWorkers: 2,
    // Timeouts only stop a hung test; CLI tests spawn processes, slow on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
