import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { Clock } from '../common/clock.js';
import { ReadPool } from '../database/read-pool.js';
import { DeadlineStatsRepository } from '../repositories/deadline-stats.repository.js';
import { EvidenceRepository } from '../repositories/evidence.repository.js';
import { Metrics } from './metrics.js';

/** A scrape reads the database at most this often (by the service's clock); scrapers polling faster get the same figures. */
const CACHE_MS = 5000;

interface StoredFigures {
  deadlinesOpen: number;
  deadlinesOverdue: number;
  evidenceBytes: number;
  evidenceFiles: number;
}

/**
 * Gauges read from the database when scraped, through the reader pool (off the request thread and outside
 * the write queue; on PostgreSQL a pooled connection), at most once per CACHE_MS. Evidence is counted by
 * distinct content, as the store keeps one file per SHA-256 however many cases cite it.
 */
@Injectable()
export class StoredDataMetrics {
  private cached: { at: number; figures: Promise<StoredFigures> } | null = null;

  constructor(
    @Inject(Metrics) metrics: Metrics,
    @Inject(ReadPool) private readonly reads: ReadPool,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    const gauge = (name: string, help: string, pick: (figures: StoredFigures) => number) =>
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        collect: async function (this: Gauge) {
          this.set(pick(await figures()));
        },
      });
    const figures = () => this.figures();
    gauge('case_review_deadlines_open', 'Deadlines not yet met or fired', (f) => f.deadlinesOpen);
    gauge(
      'case_review_deadlines_overdue',
      'Open deadlines already past their due time (the sweeper fires them)',
      (f) => f.deadlinesOverdue,
    );
    gauge('case_review_evidence_stored_bytes', 'Bytes of evidence content stored (each distinct file once)', (f) => f.evidenceBytes);
    gauge('case_review_evidence_files', 'Distinct evidence files stored', (f) => f.evidenceFiles);
  }

  private figures(): Promise<StoredFigures> {
    // The service's clock, so that a test moving it past a due date sees the overdue count without waiting.
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.at > CACHE_MS || now < this.cached.at) {
      const figures = this.read();
      // A failed read is not remembered: the next scrape tries again.
      figures.catch(() => (this.cached = null));
      this.cached = { at: now, figures };
    }
    return this.cached.figures;
  }

  private async read(): Promise<StoredFigures> {
    // One message to the reader pool: both counts from one snapshot.
    const [deadlines, evidence] = await this.reads.query([
      DeadlineStatsRepository.openAndOverdue(this.clock.now().toISOString()),
      EvidenceRepository.storedContent(),
    ]);
    return {
      deadlinesOpen: Number(deadlines[0].open),
      deadlinesOverdue: Number(deadlines[0].overdue),
      evidenceBytes: Number(evidence[0].bytes),
      evidenceFiles: Number(evidence[0].files),
    };
  }
}
