import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

import type { LoggerService } from '@nestjs/common';

/** How long a connection accepted just before the signal may take to send its request. */
const FIRST_REQUEST_GRACE_MS = 1000;
/** Turns of the event loop spent accepting connections already in the listen backlog, at most. */
const MAX_BACKLOG_TURNS = 20;
const BACKLOG_TURN_MS = 10;
/** Closing the application (sweepers, readers, the database) after the HTTP drain, at most. */
const CLOSE_BUDGET_MS = 5000;

interface Connection {
  /** requests received on it so far */
  served: number;
  /** requests on it not yet answered (more than one only with pipelining) */
  open: number;
}

export interface ShutdownOptions {
  server: Server;
  /** Closes everything behind the HTTP server: hooks, sweepers, readers, the database. */
  closeApplication: () => Promise<void>;
  drainMs: number;
  logger: LoggerService;
  exit: (code: number) => void;
}

/**
 * Stopping on SIGTERM / SIGINT without losing what was accepted (issue 17):
 *
 * 1. stop listening — new connections are refused, by the kernel, before a byte is read;
 * 2. answer every request already received, with `Connection: close`, so no client sends another on
 *    that connection; keep-alive connections with no request in flight are closed at once, and one
 *    accepted just before the signal gets a second to send its request (`FIRST_REQUEST_GRACE_MS`);
 * 3. only then close the application: the unit of work's queue is empty, since every request waiting on it
 *    has been answered; TypeORM closes SQLite (the last connection checkpoints and removes the WAL) or ends
 *    the PostgreSQL pool;
 * 4. one JSON line says what happened, and the process exits 0.
 *
 * Why not Nest's `enableShutdownHooks`: it runs the shutdown hooks (closing the database) *before* it closes
 * the HTTP server, so requests still in flight lost their database and failed, and it then re-raises the
 * signal, so the exit code was 143 rather than 0. And why not `server.close()`: since Node 19 it closes
 * "idle" connections at once, which includes one whose request is in its buffer but not yet parsed.
 *
 * Past `drainMs` (SHUTDOWN_DRAIN_MS) every remaining connection is destroyed — a streamed export in the middle
 * of its body ends as an aborted chunked response, never as a complete-looking file — the line says how many
 * requests were cut, and the process exits 1. A second signal does the same at once.
 */
export class GracefulShutdown {
  private readonly connections = new Map<Socket, Connection>();
  private readonly responses = new Set<ServerResponse>();
  private signal: NodeJS.Signals | null = null;
  private startedAt = 0;
  private drained = 0;
  private accepted = 0;
  /** connections closed by the first-request grace without having sent a request */
  private unused = 0;
  /** the application is being closed (after the drain, or after an abort) */
  private closing = false;
  private finished = false;
  private deadline: NodeJS.Timeout | null = null;
  private firstRequestTimer: NodeJS.Timeout | null = null;
  private resolveDrained: () => void = () => undefined;

  constructor(private readonly options: ShutdownOptions) {}

  /** Tracks connections and requests from now on and answers SIGTERM and SIGINT. */
  install(): void {
    this.watch();
    for (const name of ['SIGTERM', 'SIGINT'] as const) {
      process.on(name, () => void this.begin(name));
    }
  }

  /** Tracks connections and requests from now on (without answering signals: in-process tests call `begin`). */
  watch(): void {
    const { server } = this.options;
    server.on('connection', (socket: Socket) => {
      this.accepted++;
      this.connections.set(socket, { served: 0, open: 0 });
      socket.once('close', () => {
        this.connections.delete(socket);
        this.checkDrained();
      });
    });
    // Added after Fastify's own listener: runs for every request, the ones Fastify answers by itself too.
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.track(request, response));
  }

  private track(request: IncomingMessage, response: ServerResponse): void {
    const connection = this.connections.get(request.socket);
    if (connection) {
      connection.served++;
      connection.open++;
    }
    this.responses.add(response);
    if (this.signal) {
      response.setHeader('Connection', 'close');
    }
    response.once('close', () => {
      this.responses.delete(response);
      if (connection) {
        connection.open--;
      }
      if (this.signal) {
        this.drained++;
        this.closeIdle();
        this.checkDrained();
      }
    });
  }

  /** The shutdown a signal starts; a second call cuts what remains at once. */
  async begin(signal: NodeJS.Signals): Promise<void> {
    if (this.signal) {
      this.options.logger.warn({ msg: `${signal} during the drain: cutting what remains`, signal });
      await this.abort();
      return;
    }
    this.signal = signal;
    this.startedAt = performance.now();
    const drained = new Promise<void>((resolve) => (this.resolveDrained = resolve));
    await this.acceptBacklog();
    // Stop listening only: http.Server#close would also drop connections whose request is not parsed yet.
    NetServer.prototype.close.call(this.options.server);
    for (const response of this.responses) {
      if (!response.headersSent) {
        response.setHeader('Connection', 'close');
      }
    }
    this.deadline = setTimeout(() => void this.abort(), this.options.drainMs);
    this.firstRequestTimer = setTimeout(
      () => {
        for (const [socket, connection] of this.connections) {
          if (connection.served === 0) {
            this.unused++;
            socket.destroy();
          }
        }
      },
      Math.min(FIRST_REQUEST_GRACE_MS, this.options.drainMs),
    );
    this.closeIdle();
    this.checkDrained();
    await drained;
    if (this.closing) {
      return;
    }
    this.closing = true;
    clearTimeout(this.deadline);
    clearTimeout(this.firstRequestTimer);
    const drainedRequests = this.drained;
    await this.closeApplication();
    this.finish(0, 'shutdown complete', { drainedRequests });
  }

  /**
   * Connections whose handshake the kernel completed before the signal wait in the listen backlog until
   * libuv accepts them; closing the listening socket resets them. Measured with the burst: 24–59 connections
   * queued there (`ss -ltn` Recv-Q) when SIGTERM came, and up to 59 of 66 were reset when the check ran before
   * a poll phase had accepted them. So listening stops after the first turn (10 ms, then past a poll phase)
   * that brought no connection, at most MAX_BACKLOG_TURNS of them (200 ms).
   */
  private async acceptBacklog(): Promise<void> {
    for (let turn = 0; turn < MAX_BACKLOG_TURNS; turn++) {
      const before = this.accepted;
      await new Promise((resolve) => setTimeout(resolve, BACKLOG_TURN_MS));
      // Timers run before the poll phase that accepts connections: look only after one has run.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.accepted === before) {
        return;
      }
    }
  }

  /** Keep-alive connections between requests: nothing on them is lost by closing them. */
  private closeIdle(): void {
    for (const [socket, connection] of this.connections) {
      if (connection.served > 0 && connection.open === 0) {
        socket.destroy();
      }
    }
  }

  private checkDrained(): void {
    if (this.signal && this.responses.size === 0 && this.connections.size === 0) {
      this.resolveDrained();
    }
  }

  private async abort(): Promise<void> {
    if (this.closing) {
      // Already closing the database after a complete drain: that is bounded by CLOSE_BUDGET_MS.
      return;
    }
    this.closing = true;
    clearTimeout(this.deadline ?? undefined);
    clearTimeout(this.firstRequestTimer ?? undefined);
    const drainedRequests = this.drained;
    const abortedRequests = this.responses.size;
    // Destroyed, not ended: a client reading a chunked body sees it aborted (no terminating chunk).
    for (const socket of this.connections.keys()) {
      socket.destroy();
    }
    this.resolveDrained();
    await this.closeApplication();
    this.finish(1, 'shutdown aborted', { drainedRequests, abortedRequests, drainMs: this.options.drainMs });
  }

  private async closeApplication(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.options.logger.error({ msg: `closing the application took over ${CLOSE_BUDGET_MS} ms; exiting anyway` });
        resolve();
      }, CLOSE_BUDGET_MS);
    });
    try {
      await Promise.race([this.options.closeApplication(), budget]);
    } catch (error) {
      this.options.logger.error({ msg: 'closing the application failed', err: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private finish(code: number, msg: string, extra: Record<string, unknown>): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    const line = {
      msg,
      signal: this.signal,
      ...extra,
      unusedConnectionsClosed: this.unused,
      durationMs: Math.round(performance.now() - this.startedAt),
      exitCode: code,
    };
    if (code === 0) {
      this.options.logger.log(line);
    } else {
      this.options.logger.error(line);
    }
    this.options.exit(code);
  }
}
