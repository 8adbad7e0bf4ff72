import { createHash } from 'node:crypto';

import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import canonicalize from 'canonicalize';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';

import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { IdempotencyStore, type IdempotentRequest } from './idempotency-store.js';
import { IDEMPOTENT } from './idempotent.decorator.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Visible ASCII and spaces: what an HTTP header carries safely, and what a client generates (UUIDs, ULIDs). */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;
/** The answer's headers a retry must see again. */
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * `Idempotency-Key` on the creating commands (routes marked @Idempotent()): the same key from the same user on
 * the same route (method and path) gets the first answer again and writes nothing; the same key with another
 * body is a 422, and one whose first request is still running a 409. Refusals (4xx) roll their command back,
 * key included, so a retry runs again. See docs/api.md.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /** Keys whose first request runs in this process now; PostgreSQL's primary key covers other instances. */
  private readonly running = new Set<string>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()) || !request.user) {
      return next.handle();
    }
    const key = Array.isArray(header) ? null : header;
    if (key === null || !VALID_KEY.test(key) || key.trim() === '') {
      throw DomainError.validation([
        { field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 visible ASCII characters (a UUID, say), sent once' },
      ]);
    }
    const idempotent: IdempotentRequest = {
      userId: request.user.id,
      key,
      route: `${request.method} ${request.url.split('?')[0]}`,
      requestHash: createHash('sha256')
        .update(canonicalize(request.body ?? null) ?? '')
        .digest('hex'),
      claimed: false,
    };
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status = this.reflector.get<number | undefined>('__httpCode__', context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    return from(this.store.find(idempotent.userId, key, idempotent.route)).pipe(
      mergeMap((stored) => {
        if (stored) {
          return from([this.replay(stored, idempotent, reply)]);
        }
        const running = `${idempotent.userId}\n${idempotent.route}\n${key}`;
        if (this.running.has(running)) {
          throw inProgress();
        }
        this.running.add(running);
        return new Observable<unknown>((subscriber) =>
          this.store.context.run(idempotent, () =>
            next
              .handle()
              .pipe(mergeMap((body) => this.record(idempotent, reply, status, body)))
              .subscribe({
                next: (value) => subscriber.next(value),
                error: (error: unknown) => {
                  this.running.delete(running);
                  subscriber.error(isDuplicateKey(error) ? inProgress() : error);
                },
                complete: () => {
                  this.running.delete(running);
                  subscriber.complete();
                },
              }),
          ),
        );
      }),
    );
  }

  private replay(
    stored: NonNullable<Awaited<ReturnType<IdempotencyStore['find']>>>,
    request: IdempotentRequest,
    reply: FastifyReply,
  ): unknown {
    if (stored.requestHash !== request.requestHash) {
      throw DomainError.ruleViolation([
        { field: IDEMPOTENCY_HEADER, message: 'this key was already used with a different request body; use a new key for a new request' },
      ]);
    }
    if (stored.statusCode === null || stored.body === null) {
      throw inProgress();
    }
    for (const [name, value] of Object.entries(stored.headers)) {
      void reply.header(name, value);
    }
    void reply.header('Idempotent-Replayed', 'true');
    void reply.status(stored.statusCode);
    return JSON.parse(stored.body) as unknown;
  }

  /** Stores the answer of a command that claimed its key (one that wrote nothing claimed none). */
  private async record(request: IdempotentRequest, reply: FastifyReply, status: number, body: unknown): Promise<unknown> {
    if (request.claimed) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) {
          headers[name] = String(value);
        }
      }
      const code = reply.statusCode !== 200 ? reply.statusCode : status;
      await this.store.complete(request, code, JSON.stringify(body ?? null), headers);
    }
    return body;
  }
}

function inProgress(): DomainError {
  return DomainError.conflict(
    `a request with this ${IDEMPOTENCY_HEADER} is still in progress; retry once it has been answered`,
    'IN_PROGRESS',
  );
}

/** Another instance inserted the same key first (PostgreSQL's unique violation on the primary key). */
function isDuplicateKey(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: string; table?: string } }).driverError;
  return driver?.code === '23505' && driver.table === 'idempotency_keys';
}
