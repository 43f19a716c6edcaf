import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

const THROWS = `export function failing(): never {
  const reason: string = "the TypeScript line";
  throw new Error(reason);
}
`;

describe("stack traces of the compiled build (src/stack-traces.ts)", () => {
  let root = "";
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("name the .ts file and line of a compiled frame, and leave other frames as V8 writes them", async () => {
    root = await mkdtemp(path.join(tmpdir(), "ma-stack-"));
    // As `npm run build` writes them: dist/failing.js and its map, from src/failing.ts.
    await mkdir(path.join(root, "src"));
    await writeFile(path.join(root, "src", "failing.ts"), THROWS);
    const outfile = path.join(root, "dist", "failing.js");
    await build({ entryPoints: [path.join(root, "src", "failing.ts")], outfile, sourcemap: true, format: "esm", platform: "node" });
    // A compiled file without a map.
    const unmapped = path.join(root, "dist", "unmapped.js");
    await writeFile(unmapped, 'export function failing() {\n  throw new Error("no map");\n}\n');
    // A map whose sources are not file: URLs (as a bundler writes them): named as they are.
    const foreign = path.join(root, "dist", "foreign.js");
    await copyFile(outfile, foreign);
    const map = JSON.parse(await readFile(`${outfile}.map`, "utf8"));
    await writeFile(`${foreign}.map`, JSON.stringify({ ...map, sources: ["webpack://app/src/failing.ts"] }));
    // A file: URL with a host, which is no path here: the frame stays as V8 writes it.
    const hosted = path.join(root, "dist", "hosted.js");
    await copyFile(outfile, hosted);
    await writeFile(`${hosted}.map`, JSON.stringify({ ...map, sources: ["file://build-host/src/failing.ts"] }));

    const child = spawnSync(process.execPath, ["test/helpers/stack-trace-child.mjs", root], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    const stacks = JSON.parse(child.stdout) as Record<"failing" | "unmapped" | "foreign" | "hosted", string>;
    const lines = stacks.failing.split("\n");
    expect(lines[0]).toBe("Error: the TypeScript line");
    expect(lines[1]).toBe(`    at Module.failing (${path.join(root, "src", "failing.ts")}:3:9)`);
    expect(stacks.failing).not.toContain(path.join(root, "dist"));
    // Frames outside dist/ (the child's own, Node's) are as V8 writes them.
    expect(lines.slice(2).some((line) => line.includes("stack-trace-child.mjs"))).toBe(true);
    expect(stacks.unmapped.split("\n")[1]).toBe(`    at Module.failing (${pathToFileURL(unmapped).href}:2:9)`);
    expect(stacks.foreign.split("\n")[1]).toBe("    at Module.failing (webpack://app/src/failing.ts:3:9)");
    expect(stacks.hosted.split("\n")[1]).toBe(`    at Module.failing (${pathToFileURL(hosted).href}:3:9)`);
  });
});
