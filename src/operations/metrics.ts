import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { statusOfError } from '../common/domain-error.js';

/** What became of a command: accepted, or refused with the status its caller saw (500 for a failure). */
export type CommandOutcome = { accepted: true } | { accepted: false; status: number };

/**
 * The service's Prometheus metrics (GET /metrics), in a registry of its own rather than prom-client's global
 * one, so that every application built in a process (the e2e tests build many) counts for itself.
 *
 * Names follow Prometheus' conventions: a `case_review_` prefix, base units (seconds, bytes), `_total` for
 * counters. Labels are bounded sets (route templates, not URLs; command names; status codes), never ids.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'case_review_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'case_review_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'case_review_commands_total',
    help: 'Case commands by type and outcome: accepted, or refused with the status the caller got',
    labelNames: ['command', 'outcome', 'status'] as const,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'case_review_unit_of_work_queue_depth',
    help: 'Units of work waiting for the database (SQLite serialises them; always 0 on PostgreSQL)',
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'case_review_unit_of_work_batch_size',
    help: 'Units of work committed together in one transaction (SQLite group commit; always 1 on PostgreSQL)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'case_review_unit_of_work_commit_seconds',
    help: 'Time from a batch’s BEGIN to its COMMIT returning (on PostgreSQL, one unit of work’s transaction)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly sweeperRuns = new Counter({
    name: 'case_review_sweeper_runs_total',
    help: 'Runs of the background sweepers, by job and result',
    labelNames: ['job', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Process figures (CPU, memory, event-loop lag, open handles) with the same prefix.
    collectDefaultMetrics({ register: this.registry, prefix: 'case_review_' });
  }

  command(command: string, outcome: CommandOutcome): void {
    if (outcome.accepted) {
      this.commands.inc({ command, outcome: 'accepted', status: '2xx' });
    } else {
      this.commands.inc({ command, outcome: outcome.status >= 500 ? 'failed' : 'refused', status: String(outcome.status) });
    }
  }

  /** Counts `work` as the command `command`: accepted when it resolves, refused with its error's status otherwise. */
  async countCommand<T>(command: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.command(command, { accepted: true });
      return result;
    } catch (error) {
      this.command(command, { accepted: false, status: statusOfError(error) });
      throw error;
    }
  }
}
