import type { FastifyInstance } from 'fastify';

import type { Metrics } from './metrics.js';

/**
 * Counts every answer and its latency by route template (`/cases/:id`, never the URL itself, so ids cannot
 * grow the label set without bound); requests that matched no route are counted under `unmatched`.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
