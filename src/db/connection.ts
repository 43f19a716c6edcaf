import { AsyncLocalStorage } from "node:async_hooks";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import type { Kysely } from "kysely";
import { createKysely, type DB, type Provider } from "./kysely.js";

/** Why a statement was refused before it reached the database. */
export class TransactionMisuseError extends Error {
  readonly kind = "OUTSIDE_OPEN_TRANSACTION";
  constructor() {
    super(
      "A statement was issued outside the open transaction, from inside it (the Prisma client, not the transaction's " +
        "own handle): it would not be part of the transaction, and on SQLite it would wait for that transaction to end. " +
        "Inside database.transaction use database.kysely; inside database.interactive use its tx.",
    );
    this.name = "TransactionMisuseError";
  }
}

/** The transaction the current call runs in, carried by AsyncLocalStorage from where it began. */
interface OpenTransaction {
  /** The driver's transaction, once started. */
  queryable?: Transaction;
  open: boolean;
}

export interface SharedConnection {
  /** The adapter factory to give Prisma's client: every connection it makes is guarded. */
  factory: SqlDriverAdapterFactory;
  /** Statements Prisma's client does not write, typed from the schema (src/db/kysely.ts). */
  kysely: Kysely<DB>;
  /**
   * BEGIN … COMMIT on the client's connection (ROLLBACK when `work` throws); `kysely` inside
   * `work` runs in it, Prisma's client there fails at once (TransactionMisuseError).
   * Measured: 7 INSERTs cost about a quarter of the client's interactive transaction.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Marks `work` (which starts one Prisma interactive transaction) as the current
   * transaction: `kysely` runs in it, and the client outside its `tx` fails at once.
   */
  tracked<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Shares the driver adapter Prisma's client is connected with: one connection (on SQLite,
 * one transaction lock) for the client and for Kysely, none of the client's per-query cost
 * on the hot paths.
 */
export function shareAdapter(
  factory: SqlDriverAdapterFactory,
  connectClient: () => Promise<void>,
  onQuery?: (sql: string) => void,
): SharedConnection {
  const current = new AsyncLocalStorage<OpenTransaction>();
  let connected: SqlDriverAdapter | undefined;
  const provider: Provider = factory.provider === "sqlite" ? "sqlite" : "postgresql";
  const sharedFactory: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      connected = guarded(await factory.connect(), current);
      return connected;
    },
  };
  const adapter = async () => {
    if (!connected) await connectClient();
    if (!connected) throw new Error("the database adapter did not connect");
    return connected;
  };
  /**
   * Transactions open now. AsyncLocalStorage costs every promise of the process a hook while it
   * is enabled (measured on Node 20: ~60 → ~210 ns an await), and only a transaction's own calls
   * need it: it is enabled by each `run` and disabled again once none is open, when every store
   * it could hand out belongs to a transaction that has ended (read as outside any).
   */
  let opened = 0;
  const inTransaction = <T>(work: () => Promise<T>): Promise<T> => {
    const open: OpenTransaction = { open: true };
    opened++;
    return current.run(open, async () => {
      try {
        return await work();
      } finally {
        open.open = false;
        if (--opened === 0) current.disable();
      }
    });
  };
  const kysely = createKysely(
    provider,
    async () => {
      const open = current.getStore();
      return open?.open && open.queryable ? open.queryable : adapter();
    },
    onQuery,
  );
  return {
    factory: sharedFactory,
    kysely,
    transaction: (work) =>
      inTransaction(async () => {
        const tx = await (await adapter()).startTransaction();
        onQuery?.("BEGIN");
        try {
          const result = await work();
          // The adapter began the transaction; whoever ends it sends COMMIT, then gives the
          // connection back (Prisma's protocol: test/db/prisma-internals.test.ts).
          await tx.executeRaw({ sql: "COMMIT", args: [], argTypes: [] });
          await tx.commit();
          return result;
        } catch (error) {
          // The driver releases the connection either way; a failed ROLLBACK must not hide why.
          await tx.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => {});
          await tx.rollback();
          throw error;
        }
      }),
    tracked: inTransaction,
  };
}

/**
 * The connected adapter with two guards:
 * - a statement on the shared connection issued from inside an open transaction's call
 *   fails at once (TransactionMisuseError) instead of running outside it;
 * - on SQLite (one connection) a statement outside any transaction waits for the open one
 *   to end. Unqueued it would join that transaction and be rolled back with it: an outbox
 *   "sent" mark made while a submission rolled back was undone so, and sent twice.
 */
function guarded(adapter: SqlDriverAdapter, current: AsyncLocalStorage<OpenTransaction>): SqlDriverAdapter {
  const refuseInsideOpen = () => {
    const open = current.getStore();
    if (open?.open && open.queryable) throw new TransactionMisuseError();
  };
  const queue = adapter.provider === "sqlite" ? oneAtATime() : undefined;
  const alone = async <T>(work: () => Promise<T>): Promise<T> => {
    refuseInsideOpen();
    if (!queue) return work();
    const release = await queue();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const startTransaction = async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
    refuseInsideOpen();
    const release = queue ? await queue() : () => {};
    let tx: Transaction;
    try {
      tx = await adapter.startTransaction(isolationLevel);
    } catch (error) {
      release();
      throw error;
    }
    const open = current.getStore();
    if (open?.open && !open.queryable) open.queryable = tx;
    return released(tx, release);
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery): Promise<SqlResultSet> => alone(() => adapter.queryRaw(query)),
    executeRaw: (query: SqlQuery): Promise<number> => alone(() => adapter.executeRaw(query)),
    executeScript: (script: string) => alone(() => adapter.executeScript(script)),
    startTransaction,
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
  };
}

/** `tx`, giving its turn on the connection back when it ends. */
function released(tx: Transaction, release: () => void): Transaction {
  const ending = (end: () => Promise<void>) => async () => {
    try {
      await end();
    } finally {
      release();
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: ending(() => tx.commit()),
    rollback: ending(() => tx.rollback()),
    ...(tx.createSavepoint ? { createSavepoint: (name: string) => tx.createSavepoint!(name) } : {}),
    ...(tx.rollbackToSavepoint ? { rollbackToSavepoint: (name: string) => tx.rollbackToSavepoint!(name) } : {}),
    ...(tx.releaseSavepoint ? { releaseSavepoint: (name: string) => tx.releaseSavepoint!(name) } : {}),
  };
}

/** A FIFO of turns: resolves with a release function when every earlier holder has released. */
function oneAtATime(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = tail.then(() => release);
    tail = done;
    return ready;
  };
}

/** A driver error's kind (UniqueConstraintViolation, TableDoesNotExist, …), from the adapter or through Prisma's client. */
export function driverErrorKind(error: unknown): string | undefined {
  const direct = error as { name?: string; cause?: { kind?: string } };
  if (direct?.name === "DriverAdapterError") return direct.cause?.kind;
  return (error as { meta?: { driverAdapterError?: { cause?: { kind?: string } } } })?.meta?.driverAdapterError?.cause?.kind;
}
