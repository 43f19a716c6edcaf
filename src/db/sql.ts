import type {
  ArgScalarType,
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** A bind value as our statements pass it. */
export type SqlValue = string | number | bigint | boolean | Date | null;

/** Statements on one connection: the shared one, or inside a transaction. */
export interface SqlRunner {
  readonly provider: "sqlite" | "postgresql";
  /** Runs a statement; returns the rows it changed. */
  execute(sql: string, args?: SqlValue[]): Promise<number>;
  /** Runs a statement that returns rows, each as an object by column name. */
  query<T extends Record<string, unknown>>(sql: string, args?: SqlValue[]): Promise<T[]>;
  /**
   * ``run`UPDATE "T" SET "a" = ${value}` ``: `execute` with each value bound as the dialect
   * writes parameters; a `SqlFragment` (text this code chose) is spliced in as it is.
   */
  run(strings: TemplateStringsArray, ...values: Array<SqlValue | SqlFragment>): Promise<number>;
  /** `query` written the same way. */
  rows<T extends Record<string, unknown>>(strings: TemplateStringsArray, ...values: Array<SqlValue | SqlFragment>): Promise<T[]>;
}

/** SQL text chosen by this code (a dialect's clause), never from input: spliced, not bound. */
export class SqlFragment {
  constructor(readonly text: string) {}
}

/** A tagged statement: `?` (SQLite) or `$n` (PostgreSQL) where each value goes, fragments in place. */
function compose(provider: SqlRunner["provider"], strings: TemplateStringsArray, values: Array<SqlValue | SqlFragment>) {
  const args: SqlValue[] = [];
  let text = strings[0] ?? "";
  values.forEach((value, index) => {
    if (value instanceof SqlFragment) text += value.text;
    else {
      args.push(value);
      text += provider === "sqlite" ? "?" : `$${args.length}`;
    }
    text += strings[index + 1] ?? "";
  });
  return [text, args] as [string, SqlValue[]];
}

export interface Sql extends SqlRunner {
  /** BEGIN … COMMIT on one connection (ROLLBACK when `work` throws), as Prisma's client does. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * The hot paths' statements (a submission, the outbox's claim and marks) go straight to
 * the driver adapter Prisma's client is connected with: the same connection (on SQLite, the
 * same transaction lock), none of the client's per-query cost. Measured here, a
 * transaction of 7 INSERTs took 600 µs through the client's interactive transaction and
 * 136 µs this way on SQLite (1,720 and 860 µs on PostgreSQL). Values are bound, never
 * spliced; each is typed as Prisma types a raw query's parameters, so dates and booleans
 * are stored exactly as the client stores them (test/db/sql.test.ts).
 */
export function shareAdapter(factory: SqlDriverAdapterFactory, connectClient: () => Promise<void>, onQuery?: (sql: string) => void) {
  let connected: SqlDriverAdapter | undefined;
  const sharedFactory: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      connected = factory.provider === "sqlite" ? oneAtATime(adapter) : adapter;
      return connected;
    },
  };
  const adapter = async () => {
    if (!connected) await connectClient();
    if (!connected) throw new Error("the database adapter did not connect");
    return connected;
  };
  const provider = factory.provider === "sqlite" ? "sqlite" : "postgresql";
  const sql: Sql = {
    ...runner(provider, adapter, onQuery),
    transaction: async (work) => {
      const tx = await (await adapter()).startTransaction();
      onQuery?.("BEGIN");
      const inside = runner(provider, async () => tx, onQuery);
      try {
        const result = await work(inside);
        await inside.execute("COMMIT");
        await tx.commit();
        return result;
      } catch (error) {
        // The driver releases the connection either way; a failed ROLLBACK must not hide why.
        await inside.execute("ROLLBACK").catch(() => {});
        await tx.rollback();
        throw error;
      }
    },
  };
  return { factory: sharedFactory, sql };
}

/**
 * SQLite is one connection. Its adapter queues transactions, but a statement outside any
 * transaction runs on that connection at once, so it joins whichever transaction is open
 * and is rolled back with it: an outbox "sent" mark made while a submission was rolling
 * back was undone that way (test/db/sql.test.ts), and the message would be sent twice.
 * Here those statements queue with the transactions, each waiting for the open one to end.
 * (So a statement outside a transaction, awaited inside one, waits for that transaction
 * to end: for Prisma's, its 5 s timeout. Inside a transaction, use its own handle.)
 */
function oneAtATime(adapter: SqlDriverAdapter): SqlDriverAdapter {
  let tail: Promise<void> = Promise.resolve();
  /** Resolves with a release function when every earlier holder has released. */
  const turn = () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = tail.then(() => release);
    tail = released;
    return ready;
  };
  const alone = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await turn();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const startTransaction = async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
    const release = await turn();
    let tx: Transaction;
    try {
      tx = await adapter.startTransaction(isolationLevel);
    } catch (error) {
      release();
      throw error;
    }
    const ending = (end: () => Promise<void>) => async () => {
      try {
        await end();
      } finally {
        release();
      }
    };
    return delegate(tx, { commit: ending(() => tx.commit()), rollback: ending(() => tx.rollback()) });
  };
  return delegate(adapter, {
    queryRaw: (query: SqlQuery) => alone(() => adapter.queryRaw(query)),
    executeRaw: (query: SqlQuery) => alone(() => adapter.executeRaw(query)),
    executeScript: (script: string) => alone(() => adapter.executeScript(script)),
    startTransaction,
  });
}

/** `target` with some members replaced; the rest called on `target` itself (its private fields need it). */
function delegate<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (property in replaced) return replaced[property as keyof T];
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function scalarType(value: SqlValue): ArgScalarType {
  if (value instanceof Date) return "datetime";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "bigint":
      return "bigint";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    default:
      return "unknown";
  }
}

function runner(provider: SqlRunner["provider"], connection: () => Promise<SqlQueryable>, onQuery?: (sql: string) => void): SqlRunner {
  const statement = (sql: string, args: SqlValue[]) => {
    // Counted with Prisma's query events where someone listens (bench/queries.ts).
    onQuery?.(sql);
    return {
      sql,
      args,
      argTypes: args.map((value) => ({ scalarType: scalarType(value), arity: "scalar" as const })),
    };
  };
  const execute = async (sql: string, args: SqlValue[] = []) => (await connection()).executeRaw(statement(sql, args));
  const query = async <T extends Record<string, unknown>>(sql: string, args: SqlValue[] = []) =>
    toObjects<T>(await (await connection()).queryRaw(statement(sql, args)));
  return {
    provider,
    execute,
    query,
    run: (strings, ...values) => execute(...compose(provider, strings, values)),
    rows: <T extends Record<string, unknown>>(strings: TemplateStringsArray, ...values: Array<SqlValue | SqlFragment>) =>
      query<T>(...compose(provider, strings, values)),
  };
}

function toObjects<T>(result: SqlResultSet): T[] {
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, index) => [name, row[index]])) as T);
}

/** A driver error's kind (UniqueConstraintViolation, TableDoesNotExist, …), from the adapter or through Prisma's client. */
export function driverErrorKind(error: unknown): string | undefined {
  const direct = error as { name?: string; cause?: { kind?: string } };
  if (direct?.name === "DriverAdapterError") return direct.cause?.kind;
  return (error as { meta?: { driverAdapterError?: { cause?: { kind?: string } } } })?.meta?.driverAdapterError?.cause?.kind;
}
