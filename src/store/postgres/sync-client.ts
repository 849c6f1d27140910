/**
 * A synchronous PostgreSQL client: the store's interfaces are synchronous (better-sqlite3 answers in microseconds,
 * and search, planning and ingest call it that way), so the `pg` client runs in a worker thread of its own and this
 * thread waits for each answer (Atomics.wait on shared memory, then reads the reply, matched by its call's id,
 * with receiveMessageOnPort).
 * One connection, used in order: BEGIN ... COMMIT sent as statements make a transaction. A server process stays
 * responsive because searches run on the HTTP server's search threads (src/server/pool.ts), each with its own store.
 */
import { createRequire } from "node:module";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

export interface Statement {
  sql: string;
  params?: readonly unknown[];
}

/** A PostgreSQL error as the worker reports it: message, SQLSTATE code, detail. */
export class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = "PgError";
  }
}

type Reply =
  | { ok: true; results: Array<Array<Record<string, unknown>>> }
  | { ok: false; error: { message: string; code?: string; detail?: string } };

// Plain JavaScript, evaluated as the worker: it only runs the statements it is sent, in order, on one connection.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const signal = new Int32Array(workerData.signal);
const port = workerData.port;
// Running: the waiting thread gives up on a thread that never got here.
Atomics.store(signal, 1, 1);
let answering = 0;
// The answer carries its call's id; the counter only says "look again" (a waiter compares it with what it saw).
function reply(message) {
  port.postMessage({ ...message, id: answering });
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}
function failure(e) {
  return { ok: false, error: { message: String(e && e.message || e), code: e && e.code, detail: e && e.detail } };
}
// Whatever goes wrong here is answered, never left unanswered: the other thread is waiting.
let broken = null;
process.on("uncaughtException", (e) => { broken = e; reply(failure(e)); });
let client = null;
let connected = null;
try {
  const pg = require(workerData.pgPath);
  // int8 (counts, bigint ids) as numbers: every value the store keeps fits in 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  client = new pg.Client({
    connectionString: workerData.url,
    application_name: "spotivec",
    options: "-c search_path=" + workerData.schema + ",public" + (workerData.readOnly ? " -c default_transaction_read_only=on" : ""),
  });
  client.on("error", (e) => { broken = e; });
  connected = client.connect();
  connected.catch(() => {});
} catch (e) {
  broken = e;
}
port.on("message", async (request) => {
  answering = request.id;
  if (request.close) {
    if (client) await client.end().catch(() => {});
    reply({ ok: true, results: [] });
    port.close();
    return;
  }
  try {
    if (broken) throw broken;
    await connected;
    if (broken) throw broken;
    const results = [];
    if (request.transaction) await client.query("BEGIN");
    try {
      for (const s of request.statements) results.push((await client.query(s.sql, s.params)).rows);
      if (request.transaction) await client.query("COMMIT");
    } catch (e) {
      if (request.transaction) await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
    reply({ ok: true, results });
  } catch (e) {
    reply(failure(e));
  }
});
`;

/** How long one call may wait for its answer before the client gives up (an index build takes minutes at 700K). */
const CALL_TIMEOUT_MS = 10 * 60_000;

/** How long a new client thread may take to start running. */
const START_TIMEOUT_MS = 30_000;

export class SyncPgClient {
  private readonly worker: Worker;
  private readonly port;
  /** [0]: answers given (a waiter compares it with what it saw); [1]: 1 once the thread runs. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private closed = false;
  private lastId = 0;

  /**
   * `schema` comes first on the connection's search_path (then public, where the vector extension lives); a
   * `readOnly` session refuses every write (readers change nothing, as with SQLite).
   */
  constructor(url: string, schema: string, readOnly = false) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const pgPath = createRequire(import.meta.url).resolve("pg");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Plain CommonJS: none of this process's flags (--input-type=module, loaders) apply to it.
      execArgv: [],
      workerData: { url, schema, readOnly, pgPath, signal: this.signal.buffer, port: port2 },
      transferList: [port2],
    });
    // The worker never keeps the process alive; close() ends the connection.
    this.worker.unref();
  }

  /** The rows of one statement. */
  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): T[] {
    return this.run([{ sql, params }])[0] as T[];
  }

  /**
   * Several statements in one round trip to the worker, in order; the rows of each. With `transaction`, they run
   * between BEGIN and COMMIT, rolled back on any error (SET LOCAL settings last until the COMMIT).
   */
  run(statements: readonly Statement[], transaction = false): Array<Array<Record<string, unknown>>> {
    if (this.closed) throw new Error("the PostgreSQL connection is closed");
    const reply = this.call({
      transaction,
      statements: statements.map((s) => ({ sql: s.sql, params: s.params ?? [] })),
    });
    if (!reply.ok) throw new PgError(reply.error.message, reply.error.code, reply.error.detail);
    return reply.results;
  }

  /** Runs fn inside one transaction: committed when it returns, rolled back when it throws. */
  inTransaction<T>(fn: () => T): T {
    this.run([{ sql: "BEGIN" }]);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.run([{ sql: "ROLLBACK" }]);
      throw e;
    }
    this.run([{ sql: "COMMIT" }]);
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.call({ close: true });
    this.closed = true;
    void this.worker.terminate();
  }

  /**
   * Posts the request and waits for the answer with its id. The shared counter only wakes this thread: a notify
   * can arrive late (after the answer was already read, during the next call), so an empty port means wait again,
   * never "no answer".
   */
  private call(request: object): Reply {
    const id = ++this.lastId;
    this.port.postMessage({ ...request, id });
    const started = Date.now();
    const deadline = started + CALL_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const reply = received.message as Reply & { id: number };
        if (reply.id === id) return reply;
        continue;
      }
      const left = deadline - Date.now();
      if (Atomics.load(this.signal, 1) === 0 && Date.now() - started > START_TIMEOUT_MS) {
        throw new PgError("the PostgreSQL client thread did not start", undefined, undefined);
      }
      if (left <= 0) {
        throw new PgError(
          `no answer from PostgreSQL in ${CALL_TIMEOUT_MS / 60_000} minutes`,
          undefined,
          undefined,
        );
      }
      // In slices while the thread has not started, so one that failed to start is noticed.
      Atomics.wait(this.signal, 0, seen, Atomics.load(this.signal, 1) === 0 ? 100 : left);
    }
  }
}
