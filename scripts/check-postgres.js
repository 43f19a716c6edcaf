#!/usr/bin/env node
// Exits non-zero, with one line, when the PostgreSQL server in argv[2] does not answer.
import pg from "pg";

const url = process.argv[2];
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
try {
  await client.connect();
  const { rows } = await client.query("SELECT current_setting('server_version') AS version");
  console.log(`PostgreSQL ${rows[0].version} reachable.`);
} catch (error) {
  console.error(`PostgreSQL is not reachable (${error.code ?? error.message}); the PostgreSQL suite cannot run.`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
