import { createRequire } from "node:module";
import type { GetPrismaClientConfig, PrismaClientOptions } from "@prisma/client/runtime/client";

const require = createRequire(import.meta.url);
/** The slice of the WebAssembly global used here (TypeScript's Node lib does not declare it). */
const { WebAssembly } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } };

/** The CommonJS file that holds a provider's query compiler as base64 (e.g. `…fast_bg.sqlite.wasm-base64.js`). */
export function queryCompilerFile(config: Pick<GetPrismaClientConfig, "compilerWasm" | "activeProvider">): string {
  const importName = config.compilerWasm?.importName;
  const build = /^\.\/(query_compiler_\w+_bg)\.js$/.exec(importName ?? "")?.[1];
  // Fails at the first statement, in every test: see test/db/prisma-internals.test.ts.
  if (!build) throw new Error(`Prisma's query compiler is no longer named as src/db/query-compiler.ts expects (${importName})`);
  return require.resolve(`@prisma/client/runtime/${build}.${config.activeProvider}.wasm-base64.js`);
}

/**
 * Prisma's client, with its query compiler loaded so that its base64 text can be released.
 * The generated client imports it as an ES module: that module's 4.4 MB source and the
 * string it exports stay in memory for the life of the process (≈ 9 MB of an idle bot's
 * ≈ 130), though they are read once. The same text also ships as CommonJS, which leaves
 * require's cache once compiled. The hook, `__internal.configOverride`, is Prisma's own
 * (typed, "for testing purposes"); test/db/prisma-internals.test.ts fails if it is no
 * longer called.
 */
export function releasingQueryCompiler(onLoad?: (file: string) => void): NonNullable<PrismaClientOptions["__internal"]> {
  return {
    configOverride: (config: GetPrismaClientConfig): GetPrismaClientConfig => {
      const compilerWasm = config.compilerWasm;
      if (!compilerWasm) return config;
      return {
        ...config,
        compilerWasm: {
          ...compilerWasm,
          getQueryCompilerWasmModule: async () => {
            const file = queryCompilerFile(config);
            onLoad?.(file);
            try {
              const { wasm } = require(file) as { wasm: string };
              return await WebAssembly.compile(Buffer.from(wasm, "base64"));
            } finally {
              delete require.cache[file];
            }
          },
        },
      };
    },
  };
}
