import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** A SQLite file another process has open in WAL mode, as the running bot has it. */
function holdOpen(file: string): Sqlite.Database {
  const holder = new Sqlite(file);
  holder.pragma("journal_mode = WAL");
  holder.exec("CREATE TABLE IF NOT EXISTS held (id INTEGER)");
  return holder;
}

describe("mission-assist migrate while another process holds the SQLite file", () => {
  const file = path.join(tmpdir(), `ma-held-${randomUUID()}.db`);
  let holder: Sqlite.Database | undefined;
  afterEach(async () => {
    holder?.close();
    holder = undefined;
    await Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(file + suffix, { force: true })));
  });

  it("says in one line that the database is held, instead of the schema engine's stack trace", async () => {
    holder = holdOpen(file);
    const result = await runCli(["migrate"], { DATABASE_URL: `file:${file}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `mission-assist: DATABASE_URL: another process (the running bot?) holds the SQLite file ${file}: stop it and run migrate again, or just restart the bot, which applies pending migrations when it starts\n`,
    );
  });

  it("answers 'up to date' without locking when nothing is pending", async () => {
    expect((await runCli(["migrate"], { DATABASE_URL: `file:${file}` })).code).toBe(0);
    holder = holdOpen(file);
    const result = await runCli(["migrate"], { DATABASE_URL: `file:${file}` });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(result.stdout).toMatch(/^Database is up to date \(\d+ migration\(s\) applied before; nothing to do\)\.\n$/);
  });
});
