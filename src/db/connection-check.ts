import type { Database } from "./client.js";

/**
 * The database DATABASE_URL names cannot be used: the message is one line that names the
 * variable and what to check, never the URL itself (it may carry a password).
 */
export class DatabaseUnavailableError extends Error {}

interface AdapterCause {
  kind?: string;
  host?: string;
  port?: number;
  db?: string;
  originalMessage?: string;
}

/** What Prisma's driver adapters put on a failed statement (`meta.driverAdapterError.cause`). */
function adapterCause(error: unknown): AdapterCause | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } }).meta;
  return meta?.driverAdapterError?.cause;
}

function describeFailure(database: Database, error: unknown): string {
  const target = database.target;
  if (target.provider === "sqlite") {
    const code = (error as { code?: string }).code ?? "";
    return `DATABASE_URL: cannot open the SQLite file ${target.file}${code ? ` (${code})` : ""}: check that the folder exists and this user may write there`;
  }
  const url = new URL(target.url);
  const where = `${url.hostname}:${url.port || "5432"}`;
  const cause = adapterCause(error);
  switch (cause?.kind) {
    case "DatabaseNotReachable":
      return `DATABASE_URL: cannot reach PostgreSQL at ${where}: is the server running, and are the host and port right?`;
    case "DatabaseDoesNotExist":
      return `DATABASE_URL: PostgreSQL at ${where} has no database "${cause.db ?? url.pathname.slice(1)}": create it (createdb) or fix the name`;
    case "DatabaseAccessDenied":
    case "AuthenticationFailed":
      return `DATABASE_URL: PostgreSQL at ${where} refused the login${cause.originalMessage ? ` (${cause.originalMessage})` : ""}: check the user and password`;
    default: {
      const detail = (error instanceof Error ? error.message : String(error)).split("\n").filter(Boolean).at(-1) ?? "";
      return `DATABASE_URL: the PostgreSQL database at ${where} cannot be used: ${detail}`;
    }
  }
}

/**
 * Sends one statement so a wrong DATABASE_URL stops a command or the start with one line
 * naming it, before migrations (whose engine reports it as `External error id#0` or a
 * two-line Prisma text without the variable).
 */
export async function checkDatabaseConnection(database: Database): Promise<void> {
  try {
    await database.prisma.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    throw new DatabaseUnavailableError(describeFailure(database, error));
  }
}
