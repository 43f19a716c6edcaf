import { readFile } from "node:fs/promises";
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

/** The build the generated clients name (`compilerWasm.importName`; test/db/prisma-internals.test.ts). */
export const GENERATED_BUILD = "./query_compiler_fast_bg.js";

/** Compiles started ahead by prefetchQueryCompiler, by file: each taken by the first client that asks. */
const ahead = new Map<string, Promise<object>>();
/** Files a client has loaded: Prisma keeps the compiler per provider for the process, so none asks again. */
const loaded = new Set<string>();

/**
 * Starts reading and compiling a provider's query compiler now: its file read and its
 * WebAssembly compile (on V8's background threads) then overlap the loading of the bot's
 * modules instead of following it, on the way to ready (issue 25, start to ready).
 */
export function prefetchQueryCompiler(provider: GetPrismaClientConfig["activeProvider"]): void {
  const file = generatedCompilerFile(provider);
  if (ahead.has(file) || loaded.has(file)) return;
  const compiled = queryCompilerBytes(file).then((bytes) => WebAssembly.compile(bytes));
  // Not awaited until a client asks; a failure is retried (and reported) then.
  compiled.catch(() => {});
  ahead.set(file, compiled);
}

/** Whether a prefetched compile waits for a client to take it. */
export function prefetchWaiting(provider: GetPrismaClientConfig["activeProvider"]): boolean {
  return ahead.has(generatedCompilerFile(provider));
}

function generatedCompilerFile(provider: GetPrismaClientConfig["activeProvider"]): string {
  return queryCompilerFile({
    compilerWasm: { importName: GENERATED_BUILD } as GetPrismaClientConfig["compilerWasm"],
    activeProvider: provider,
  });
}

/**
 * Prisma's client, with its query compiler loaded so that its base64 text can be released.
 * The generated client imports it as an ES module: that module's 4.4 MB source and the
 * string it exports stay in memory for the life of the process (≈ 9 MB of an idle bot's
 * ≈ 130), though they are read once. The same text also ships as CommonJS, whose bytes
 * are read and decoded here (queryCompilerBytes) and dropped once compiled. The hook, `__internal.configOverride`, is Prisma's own
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
            loaded.add(file);
            const early = ahead.get(file);
            ahead.delete(file);
            // A prefetch that failed is retried here, where the client reports the failure.
            return (await early?.catch(() => undefined)) ?? (await WebAssembly.compile(await queryCompilerBytes(file)));
          },
        },
      };
    },
  };
}

/**
 * The query compiler's bytes, from its file's text (`const wasm = "<base64>"; module.exports
 * = { wasm }`) read as bytes: requiring it parsed 4.4 MB of JavaScript for one string
 * literal, ~145 ms of CPU at every start against ~55 ms (issue 25, start to ready). A file
 * of another shape is required as before; test/db/prisma-internals.test.ts fails if the
 * shipped files stop matching, and checks both ways give the same bytes.
 */
export async function queryCompilerBytes(file: string): Promise<Uint8Array> {
  const bytes = await readFile(file);
  const decoded = decodeQueryCompilerText(bytes);
  if (decoded) return decoded;
  try {
    return Buffer.from((require(file) as { wasm: string }).wasm, "base64");
  } finally {
    delete require.cache[file];
  }
}

const HEAD = 'const wasm = "';

/** The module's base64 decoded, or undefined when the text is not of the expected shape. */
export function decodeQueryCompilerText(bytes: Buffer): Buffer | undefined {
  const end = bytes.indexOf('"', HEAD.length);
  // Found by position: a regular expression over the 4.4 MB costs more than the decoding.
  const shaped =
    bytes.toString("latin1", 0, HEAD.length) === HEAD && /^";\s*module\.exports = \{ wasm \};?\s*$/.test(bytes.toString("latin1", end));
  return shaped ? Buffer.from(bytes.toString("latin1", HEAD.length, end), "base64") : undefined;
}
