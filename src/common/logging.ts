import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

/** `auto`: readable lines when standard output is a terminal, JSON lines otherwise (files, journald, collectors). */
export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * The service's one root logger: Nest's messages, the request lines and the start-up and shutdown lines all
 * go through it, so they share a level, a destination and a format.
 *
 * `destination` (tests) always gets JSON. Pretty printing runs in this thread, synchronously, as pino's
 * own JSON output does: a line written just before exit is never lost in a worker's buffer.
 */
export function createRootLogger(level: string, format: LogFormat, destination?: DestinationStream): Logger {
  if (destination) {
    return pino({ level }, destination);
  }
  if (readableLogs(format, process.stdout.isTTY === true)) {
    return pino({ level }, pretty({ colorize: true, translateTime: 'SYS:standard', ignore: 'pid,hostname' }));
  }
  return pino({ level });
}

/** Whether lines are printed for people (pino-pretty) rather than as JSON. */
export function readableLogs(format: LogFormat, terminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && terminal);
}

/** For the one line of a start-up that failed before the configuration chose a format: standard error, readable on a terminal. */
export function createStartupFailureLogger(): Logger {
  if (process.stderr.isTTY === true) {
    return pino(pretty({ colorize: true, destination: 2, sync: true, ignore: 'pid,hostname' }));
  }
  return pino(pino.destination({ fd: 2, sync: true }));
}

/**
 * Nest's LoggerService on a pino logger: `new Logger('Context').warn(...)` anywhere in the code becomes one pino
 * line with `context`. Nest passes the context as the last argument, and its exception handlers pass
 * `(message, stack, context)`; both are mapped as nestjs-pino maps them (that package needs Node 22, so its
 * thirty lines live here instead).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0) {
      fields.context = rest.pop();
    }
    if (message instanceof Error) {
      this.root[level]({ ...fields, err: message });
    } else if (typeof message === 'object' && message !== null) {
      this.root[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      // Nest's exception handlers: (message, stack, context).
      const err = new Error(String(message));
      err.stack = rest[0];
      this.root.error({ ...fields, err });
    } else {
      this.root[level](fields, String(message), ...rest);
    }
  }
}
