import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/mission-assist.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * An empty folder to run in: the command reads `.env` from where it runs, and a developer's
 * own `.env` in the project folder must not change what the tests see.
 */
const EMPTY_FOLDER = mkdtempSync(path.join(tmpdir(), "ma-cli-cwd-"));

/** Runs `mission-assist` as a user would, in its own process (in `cwd` when given). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = EMPTY_FOLDER): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
