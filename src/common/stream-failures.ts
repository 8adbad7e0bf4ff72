import type { Readable } from 'node:stream';

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * A streamed response (the CSV export, an evidence download) that fails once its headers are out can only be
 * cut: the client gets a truncated body and a 200. Fastify logs that through its own logger, which this app
 * does not use, so nothing said why (a NUL in `q` cut the export with no line in the log). This hook names the
 * request and the error. Errors before the headers go through the exception filter, which logs them itself.
 */
export function logStreamFailures(fastify: FastifyInstance, log: Logger): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (payload !== null && typeof payload === 'object' && typeof (payload as Readable).pipe === 'function') {
      (payload as Readable).on('error', (err: Error) => {
        if (reply.raw.headersSent) {
          log.error(
            { err, requestId: request.id, method: request.method, url: request.url },
            'response stream failed after its headers were sent',
          );
        }
      });
    }
    done();
  });
}
