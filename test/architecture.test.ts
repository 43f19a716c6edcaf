import { readdir, readFile, stat } from "node:fs/promises";
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

interface Import {
  file: string;
  /** A package name, or the imported file relative to src/ ("core/model.ts"). */
  target: string;
  isPackage: boolean;
}

async function importsIn(folder: string): Promise<Import[]> {
  const files = await sourceFiles(path.join(SRC, folder));
  const all = await Promise.all(
    files.map(async (file) =>
      importsOf(await readFile(file, "utf8")).map((specifier): Import => {
        if (!specifier.startsWith(".")) return { file: path.relative(SRC, file), target: specifier, isPackage: true };
        const resolved = path.relative(SRC, path.resolve(path.dirname(file), specifier)).replace(/\.js$/, ".ts");
        return { file: path.relative(SRC, file), target: resolved.split(path.sep).join("/"), isPackage: false };
      }),
    ),
  );
  return all.flat();
}

/**
 * What each layer may import: packages (or package prefixes) and files or folders of src/.
 * The core knows no platform; chat knows only the core; adapters translate and reach the
 * core only through its types and ports, never its use cases or the database.
 */
const LAYERS: Record<string, { packages: string[]; src: string[] }> = {
  core: { packages: ["zod", "node:"], src: ["core/"] },
  chat: { packages: [], src: ["core/", "chat/"] },
  outbox: { packages: ["node:"], src: ["core/", "chat/", "outbox/", "reminders/working-day.ts", "logger.ts"] },
  reminders: { packages: ["node-cron", "luxon", "date-holidays", "node:module"], src: ["core/", "outbox/", "reminders/", "logger.ts"] },
  // The mail store is a port of the e-mail bridge, implemented here like the core's.
  db: { packages: ["@prisma/", "pg", "better-sqlite3", "uuid", "kysely", "zod", "node:"], src: ["core/", "db/", "mail/store.ts"] },
  mail: {
    packages: [
      "imapflow",
      "nodemailer",
      "mailparser",
      "html-to-text",
      "luxon",
      "ical-generator",
      "@azure/msal-node",
      "@microsoft/microsoft-graph-client",
      "node:",
    ],
    src: ["mail/", "chat/", "core/", "config.ts", "logger.ts", "outbox/dispatcher.ts", "platform-health.ts"],
  },
  slack: {
    packages: ["@slack/bolt", "express", "node:http", "node:module"],
    src: [
      "slack/",
      "chat/",
      "core/model.ts",
      "core/ports.ts",
      "core/people/identity.ts",
      "logger.ts",
      "platform-health.ts",
      "doctor/checks.ts",
      "http/errors.ts",
      "http/exchange.ts",
    ],
  },
  teams: {
    // The Bot Connector caller (teams/connector-api.ts) speaks HTTP through http/exchange.ts, with the library's headers.
    packages: ["@microsoft/teams-ai", "botbuilder", "express", "@azure/core-rest-pipeline", "node:crypto", "node:http", "node:zlib"],
    src: [
      "teams/",
      "chat/",
      "core/model.ts",
      "core/ports.ts",
      "core/people/identity.ts",
      "core/clock.ts",
      "logger.ts",
      "doctor/checks.ts",
      "http/errors.ts",
      "http/exchange.ts",
    ],
  },
  doctor: {
    packages: ["node-cron"],
    src: [
      "doctor/",
      "config.ts",
      "core/",
      "chat/",
      "db/client.ts",
      "db/readiness.ts",
      "slack/doctor.ts",
      "teams/doctor.ts",
      "mail/bridge.ts",
    ],
  },
  // exchange.ts: the one outbound HTTP exchange of the platform callers (Slack, Teams).
  http: {
    packages: ["express", "node:http", "node:https"],
    src: ["http/", "db/client.ts", "db/readiness.ts", "platform-health.ts", "logger.ts"],
  },
  cli: {
    packages: ["node:", "csv-parse/", "csv-stringify/"],
    src: [
      "cli/",
      "core/",
      "db/",
      "config.ts",
      "settings.ts",
      "logger.ts",
      "app.ts",
      "teams/activity-policy.ts",
      "doctor/",
      "slack/doctor.ts",
      "reminders/holidays.ts",
    ],
  },
};

function allowed(layer: { packages: string[]; src: string[] }, item: Import): boolean {
  if (!item.isPackage) return layer.src.some((prefix) => item.target === prefix || item.target.startsWith(prefix));
  // A package, its subpaths, or a scope ("@prisma/", "node:"): "node:http" does not allow "node:https".
  return layer.packages.some(
    (name) => item.target === name || item.target.startsWith(`${name}/`) || (/[/:]$/.test(name) && item.target.startsWith(name)),
  );
}

describe("architecture", () => {
  it.each(Object.keys(LAYERS))("keeps src/%s to its allow-list", async (folder) => {
    // A layer the test names must exist: renaming a folder must not make the test pass by default.
    expect((await stat(path.join(SRC, folder))).isDirectory()).toBe(true);
    const imports = await importsIn(folder);
    expect(imports.length).toBeGreaterThan(3);
    const layer = LAYERS[folder]!;
    expect(imports.filter((item) => !allowed(layer, item)).map((item) => `${item.file} → ${item.target}`)).toEqual([]);
  });

  it("names every folder of src/ in the allow-lists", async () => {
    const folders = (await readdir(SRC, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.filter((folder) => !(folder in LAYERS)).sort()).toEqual([]);
  });

  it("keeps Prisma inside src/db: everything else sees core types", async () => {
    const outside = (await importsIn("."))
      .filter((item) => item.isPackage && item.target.startsWith("@prisma/"))
      .filter((item) => !item.file.startsWith(`db${path.sep}`));
    expect(outside).toEqual([]);
  });

  it("builds identity keys in one place", async () => {
    const files = (await sourceFiles(SRC)).filter((file) => !file.endsWith(path.join("people", "identity.ts")));
    const handMade = [];
    for (const file of files) {
      const text = await readFile(file, "utf8");
      if (/`(slack|teams):\$\{/.test(text)) handMade.push(path.relative(SRC, file));
    }
    expect(handMade).toEqual([]);
  });

  it("keeps every source file under 250 lines", async () => {
    const long = [];
    for (const file of await sourceFiles(SRC)) {
      const lines = (await readFile(file, "utf8")).split("\n").length;
      if (lines > 250) long.push(`${path.relative(SRC, file)} (${lines})`);
    }
    expect(long).toEqual([]);
  });
});
