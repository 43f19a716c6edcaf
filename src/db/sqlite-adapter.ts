import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";
import Database from "better-sqlite3";
import { convertDriverError, getColumnTypes, mapArg, mapRow, type TimestampFormat } from "./sqlite-conversion.js";

const ADAPTER_NAME = "mission-assist-better-sqlite3";

/** Distinct statements kept prepared per connection; the app has well under a hundred. */
const STATEMENT_CACHE_SIZE = 200;

export type SqliteAdapterConfig = Database.Options & { url: string };
export interface SqliteAdapterOptions {
  shadowDatabaseUrl?: string;
  timestampFormat?: TimestampFormat;
}

/**
 * A better-sqlite3 driver adapter that prepares each distinct statement once per connection.
 * @prisma/adapter-better-sqlite3 prepares on every query, and profiles put that at about a
 * quarter of a submission's CPU. Everything else mirrors Prisma's adapter: the same values in
 * and out (./sqlite-conversion.ts), the same errors, BEGIN in startTransaction with COMMIT or
 * ROLLBACK left to the caller, one transaction at a time; test/db/sqlite-adapter.test.ts
 * compares the two on the same statements.
 */
export class CachedBetterSqlite3 implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName = ADAPTER_NAME;
  readonly #config: SqliteAdapterConfig;
  readonly #options: SqliteAdapterOptions;

  constructor(config: SqliteAdapterConfig, options: SqliteAdapterOptions = {}) {
    this.#config = config;
    this.#options = options;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return new CachedAdapter(openClient(this.#config), this.#options.timestampFormat);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const url = this.#options.shadowDatabaseUrl ?? ":memory:";
    return new CachedAdapter(openClient({ ...this.#config, url }), this.#options.timestampFormat);
  }
}

function openClient({ url, ...options }: SqliteAdapterConfig): Database.Database {
  const client = new Database(url.replace(/^file:/, ""), options);
  // As Prisma's adapter: integers come back as BigInt, mapRow narrows the safe ones.
  client.defaultSafeIntegers(true);
  return client;
}

/** A reader's result columns: their names and declared types. */
interface Columns {
  names: string[];
  declaredTypes: Array<string | null>;
}

/** Prepared statements by SQL text, least recently used first (a Map keeps insertion order). */
class StatementCache {
  readonly #statements = new Map<string, Database.Statement>();
  /** Each reader's columns, as of the schema version they were read at. */
  readonly #columns = new WeakMap<Database.Statement, Columns & { schemaVersion: unknown }>();
  readonly #schemaVersion: Database.Statement;
  constructor(private readonly client: Database.Database) {
    this.#schemaVersion = client.prepare("PRAGMA schema_version").pluck();
  }

  /**
   * `statement`'s columns, read after it ran. better-sqlite3 builds them afresh at each call
   * (measured: 30-60 µs on a 41-column read, against 6 µs for the read itself), so they are
   * kept until the schema changes: any migration, on this connection or another, bumps
   * SQLite's schema version (0.15 µs to read), and a `SELECT *` may widen then.
   */
  columnsOf(statement: Database.Statement): Columns {
    const schemaVersion = this.#schemaVersion.get();
    const known = this.#columns.get(statement);
    if (known && known.schemaVersion === schemaVersion) return known;
    const columns = statement.columns();
    const read = { schemaVersion, names: columns.map((column) => column.name), declaredTypes: columns.map((column) => column.type) };
    this.#columns.set(statement, read);
    return read;
  }

  get(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement) {
      this.#statements.delete(sql);
    } else {
      statement = this.client.prepare(sql);
      // Rows as arrays, as Prisma's adapter reads them; set once, it stays with the statement.
      if (statement.reader) statement.raw(true);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value as string);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  clear(): void {
    this.#statements.clear();
  }
}

class Queryable {
  readonly provider = "sqlite";
  readonly adapterName = ADAPTER_NAME;

  constructor(
    protected readonly statements: StatementCache,
    private readonly timestampFormat: TimestampFormat | undefined,
  ) {}

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    try {
      const statement = this.statements.get(query.sql);
      // Arguments go to all()/run() each time: a cached statement cannot be bind()-ed twice.
      const args = this.args(query);
      if (!statement.reader) {
        statement.run(args);
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      const rows = statement.all(args) as unknown[][];
      // Read after running: a statement prepared before a schema change (a migration on another
      // connection, say) is prepared again by SQLite when it runs, and `SELECT *` may widen.
      const columns = this.statements.columnsOf(statement);
      const columnTypes = getColumnTypes(columns.declaredTypes, rows);
      return { columnNames: columns.names, columnTypes, rows: rows.map((row) => mapRow(row, columnTypes)) };
    } catch (error) {
      throw new DriverAdapterError(convertDriverError(error));
    }
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    try {
      return this.statements.get(query.sql).run(this.args(query)).changes;
    } catch (error) {
      throw new DriverAdapterError(convertDriverError(error));
    }
  }

  private args(query: SqlQuery): unknown[] {
    return query.args.map((arg, index) => mapArg(arg, query.argTypes[index]!, this.timestampFormat));
  }
}

const TRANSACTION_OPTIONS: TransactionOptions = { usePhantomQuery: false };

class CachedTransaction extends Queryable implements Transaction {
  readonly options = TRANSACTION_OPTIONS;
  readonly #release: () => void;

  constructor(statements: StatementCache, timestampFormat: TimestampFormat | undefined, release: () => void) {
    super(statements, timestampFormat);
    this.#release = release;
  }

  // As Prisma's adapter: the caller has sent COMMIT or ROLLBACK; these only release the connection.
  async commit(): Promise<void> {
    this.#release();
  }
  async rollback(): Promise<void> {
    this.#release();
  }
  async createSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `SAVEPOINT ${name}`, args: [], argTypes: [] });
  }
  async rollbackToSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `ROLLBACK TO ${name}`, args: [], argTypes: [] });
  }
  async releaseSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `RELEASE SAVEPOINT ${name}`, args: [], argTypes: [] });
  }
}

class CachedAdapter extends Queryable implements SqlDriverAdapter {
  readonly #client: Database.Database;
  readonly #timestampFormat: TimestampFormat | undefined;
  /** One transaction at a time, in the order asked (Prisma's adapter holds an async-mutex). */
  #turn: Promise<void> = Promise.resolve();

  constructor(client: Database.Database, timestampFormat: TimestampFormat | undefined) {
    super(new StatementCache(client), timestampFormat);
    this.#client = client;
    this.#timestampFormat = timestampFormat;
  }

  async executeScript(script: string): Promise<void> {
    try {
      this.#client.exec(script);
    } catch (error) {
      throw new DriverAdapterError(convertDriverError(error));
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    }
    let release!: () => void;
    const ended = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#turn;
    this.#turn = ended;
    await previous;
    let released = false;
    const releaseOnce = () => {
      if (!released) release();
      released = true;
    };
    try {
      this.statements.get("BEGIN").run();
    } catch (error) {
      // Prisma's adapter keeps its lock here; giving the turn back lets the next one try.
      releaseOnce();
      throw new DriverAdapterError(convertDriverError(error));
    }
    return new CachedTransaction(this.statements, this.#timestampFormat, releaseOnce);
  }

  async dispose(): Promise<void> {
    this.statements.clear();
    this.#client.close();
  }
}
