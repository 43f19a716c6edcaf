import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

// `npm ci` must install quietly on the Node this project supports: a package that needs a
// newer Node warns EBADENGINE on every install (and may crash at run time), and a package
// whose install script is not reviewed in `allowScripts` warns now and is skipped by the npm
// releases that block unreviewed scripts.
interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  engines: { node: string };
  allowScripts: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, LockedPackage>;
};
const installed = Object.entries(lock.packages)
  .filter(([path]) => path.startsWith("node_modules/"))
  .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf("node_modules/") + 13), ...entry }));

describe("the locked dependencies", () => {
  it("all run on the oldest Node the project supports", () => {
    const oldest = semver.minVersion(manifest.engines.node);
    expect(oldest?.major).toBe(20);
    const needNewer = installed
      .filter((entry) => !Array.isArray(entry.engines) && entry.engines?.node)
      .filter((entry) => !semver.satisfies(oldest as semver.SemVer, (entry.engines as { node: string }).node))
      .map((entry) => `${entry.name}@${entry.version} needs node ${(entry.engines as { node: string }).node}`);
    expect(needNewer).toEqual([]);
  });

  it("have every install script reviewed in allowScripts", () => {
    const unreviewed = installed
      .filter((entry) => entry.hasInstallScript && !(entry.name in manifest.allowScripts))
      .map((entry) => `${entry.name}@${entry.version}`);
    expect(unreviewed).toEqual([]);
  });
});

describe("the node options the command runs with", () => {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  const shebang = readFileSync("bin/mission-assist.js", "utf8").split("\n")[0] ?? "";
  /** What runs the bin: node and its options. */
  const launcher = (command = "") => command.slice(0, command.indexOf(" bin/mission-assist.js"));

  it("are the same for `npm start`, `npm run cli` and the `mission-assist` command (its shebang)", () => {
    // V8 sizes its young generation only when the process starts: set from inside the bin
    // (v8.setFlagsFromString) the option would come too late.
    expect(launcher(scripts.start)).toBe("node --max-semi-space-size=2");
    expect(launcher(scripts.cli)).toBe(launcher(scripts.start));
    expect(shebang).toBe(`#!/usr/bin/env -S ${launcher(scripts.start)}`);
  });

  it("start the command through its shebang (env -S splits the words)", () => {
    const run = spawnSync("bin/mission-assist.js", ["--version"], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\d+\.\d+\.\d+/);
  });
});
