import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';

import { AppModule } from './app.module.js';
import type { AuthUser } from './auth/auth-user.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { Clock, SystemClock } from './common/clock.js';
import { DomainError, type FieldError } from './common/domain-error.js';
import { parseJsonBody } from './common/json-body.js';
import { createRootLogger, PinoNestLogger } from './common/logging.js';
import { setupOpenApi } from './common/openapi.js';
import { PlainTextPipe } from './common/plain-text.pipe.js';
import { responseHeaders } from './common/response-headers.js';
import { logStreamFailures } from './common/stream-failures.js';
import type { AppConfig } from './config/app-config.js';
import { EVIDENCE_MAX_BYTES } from './evidence/evidence.service.js';
import { recordHttpMetrics } from './operations/http-metrics.js';
import { Metrics } from './operations/metrics.js';

const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Flattens nested class-validator errors into `conditions.diligent: must be a boolean` style messages. */
function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator starts messages with the property name; keep only the explanation.
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...fieldErrors(error.children ?? [], `${field}.`)];
  });
}

/**
 * Builds the application exactly as production runs it; main.ts and the e2e tests both call this, so
 * the tests exercise the real pipes, filters, headers and limits.
 */
/** TRUST_PROXY as Fastify reads it: a hop count, or the proxies' addresses; unset, no proxy is trusted. */
function trustedProxies(setting: string | undefined): string[] | ((address: string, hop: number) => boolean) | false {
  if (!setting) {
    return false;
  }
  if (/^\d+$/.test(setting)) {
    const hops = Number(setting);
    return (_address, hop) => hop < hops;
  }
  return setting.split(',').map((entry) => entry.trim());
}

export async function createApp(
  config: AppConfig,
  clock: Clock = new SystemClock(),
  logDestination?: DestinationStream,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // The adapter registers @fastify/multipart itself. Its parser only marks the request; the evidence
    // controller streams the one file to disk. A file over the limit is truncated and refused (413).
    // Evidence files have their own limit; JSON bodies keep the 1 MB one.
    multipart: { limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 10, parts: 20 } },
    // request.ip feeds the login limits: X-Forwarded-For counts only from the proxies TRUST_PROXY names.
    trustProxy: trustedProxies(config.TRUST_PROXY),
    requestIdHeader: false,
    genReqId: (raw: IncomingMessage) => {
      const offered = raw.headers['x-request-id'];
      const id = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
      (raw as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
  const rootLogger = createRootLogger(config.LOG_LEVEL, config.LOG_FORMAT, logDestination);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, clock }), adapter, {
    logger: new PinoNestLogger(rootLogger),
  });
  // No enableShutdownHooks: main.ts stops on signals itself, HTTP first, then the database
  // (common/graceful-shutdown.ts says why Nest's order lost requests).
  // Registered before init, so Nest keeps it instead of Fastify's default JSON parser: a depth limit first.
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  const fastify = app.getHttpAdapter().getInstance();
  // One JSON line per request, with the id its response and error body carry (a line logged while serving
  // a request, the exception filter's, names that id itself) and the signed-in user's id once the guard
  // knew it. No headers: nothing of a token or cookie. Straight to pino rather than through Nest's Logger:
  // in profiles of `npm run bench` the hook took 38 µs per request through Nest's Logger, 28 µs here.
  const requestLog = rootLogger.child({ context: 'Http' });
  fastify.addHook('onResponse', (request, reply, done) => {
    requestLog.info({
      msg: 'request completed',
      requestId: request.id,
      userId: (request as { user?: AuthUser }).user?.id,
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    });
    done();
  });
  logStreamFailures(fastify, rootLogger.child({ context: 'Errors' }));
  recordHttpMetrics(fastify, app.get(Metrics));

  fastify.addHook('onRequest', responseHeaders());
  app.useGlobalPipes(
    new PlainTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => DomainError.validation(fieldErrors(errors)),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());

  setupOpenApi(app);

  await app.init();
  await fastify.ready();
  return app;
}
