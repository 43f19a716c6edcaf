import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../src");

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}generated${path.sep}`));
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (match) => match[1] ?? match[2] ?? "",
  );
}

async function importsIn(folder: string): Promise<Array<{ file: string; specifier: string }>> {
  const files = await sourceFiles(path.join(SRC, folder));
  const all = await Promise.all(
    files.map(async (file) => importsOf(await readFile(file, "utf8")).map((specifier) => ({ file: path.relative(SRC, file), specifier }))),
  );
  return all.flat();
}

describe("architecture", () => {
  it("keeps src/core free of platforms, Prisma and cron: only zod, node built-ins and itself", async () => {
    const imports = await importsIn("core");
    expect(imports.length).toBeGreaterThan(10);
    const foreign = imports.filter(({ specifier }) => !(specifier === "zod" || specifier.startsWith("node:") || specifier.startsWith(".")));
    expect(foreign).toEqual([]);
    const escaping = imports.filter(({ file, specifier }) => {
      if (!specifier.startsWith(".")) return false;
      const resolved = path.resolve(SRC, path.dirname(file), specifier);
      return !resolved.startsWith(path.join(SRC, "core"));
    });
    expect(escaping).toEqual([]);
  });

  it("keeps src/chat on the core only", async () => {
    const imports = await importsIn("chat").catch(() => []);
    const foreign = imports.filter(({ specifier }) =>
      /@slack\/|@microsoft\/|botbuilder|@prisma\/|node-cron|\/db\/|\/slack\/|\/teams\//.test(specifier),
    );
    expect(foreign).toEqual([]);
  });

  it("keeps Slack and Teams apart", async () => {
    const slack = await importsIn("slack").catch(() => []);
    const teams = await importsIn("teams").catch(() => []);
    expect(slack.filter(({ specifier }) => /@microsoft\/|botbuilder|\/teams\//.test(specifier))).toEqual([]);
    expect(teams.filter(({ specifier }) => /@slack\/|\/slack\//.test(specifier))).toEqual([]);
  });
});
