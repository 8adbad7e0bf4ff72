import { Readable } from 'node:stream';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { listScope } from '../access/scope.js';
import type { AuthUser } from '../auth/auth-user.js';
import { type CaseSelection, plainScope, toCaseFilter } from '../cases/case-list.js';
import type { CaseFilterQuery } from '../cases/dto/case-filter.query.js';
import { ReadPool } from '../database/read-pool.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CaseReadsRepository } from '../repositories/case-reads.repository.js';
import { CSV_COLUMNS, CSV_HEADER, type CsvCaseRow, csvRow } from './case-csv.js';
import { BOM, csvLine } from './csv.js';

/** Rows per read: small enough that no read runs long, large enough to stream fast. */
const CHUNK = 500;

/**
 * GET /reports/cases.csv: the cases of GET /cases (same scope, filters and order), one row each, written
 * as they are read. Each chunk is one read on a reader (database/read-pool.ts: off the request thread,
 * within the read budget), found by keyset (after the last row sent), so the export never holds the
 * database or the request thread for long and never holds the file in memory. The next chunk is read
 * only when the response has taken the previous one (back-pressure: a slow client slows the reads, it
 * does not fill memory). It is not a snapshot: a case changed during the export appears as it was when
 * its chunk was read.
 */
@Injectable()
export class CaseExportService {
  private readonly logger = new Logger(CaseExportService.name);
  /** Rows per chunk; the e2e tests lower it to walk several chunks over a handful of cases. */
  chunkSize = CHUNK;

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(ReadPool) private readonly reads: ReadPool,
  ) {}

  /**
   * Resolves the scope and reads the first chunk before the first byte, so refusals (a bad unit, a first
   * read over its budget) are still plain JSON errors.
   */
  async export(actor: AuthUser, query: CaseFilterQuery, now: Date): Promise<Readable> {
    const scope = await this.uow.read(async (manager) => plainScope(manager, await listScope(manager, actor, query.unitId)));
    const selection: CaseSelection = { scope, filter: toCaseFilter(query), sort: query.sort, now: now.toISOString() };
    const first = scope.length === 0 ? null : await this.chunk(selection, null);
    // One chunk buffered ahead at most: the reads follow the client's pace.
    return Readable.from(this.lines(selection, first), { highWaterMark: 1 });
  }

  private async *lines(selection: CaseSelection, first: Chunk | null): AsyncGenerator<string> {
    yield BOM + csvLine(CSV_HEADER);
    let chunk = first;
    try {
      while (chunk) {
        if (chunk.text !== '') {
          yield chunk.text;
        }
        chunk = chunk.full ? await this.chunk(selection, chunk.last) : null;
      }
    } catch (error) {
      // Past the first byte no error body can be sent: the response is cut, and the reason logged.
      this.logger.error(`CSV export cut: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  private async chunk(selection: CaseSelection, from: CsvCaseRow | null): Promise<Chunk> {
    const found = await CaseReadsRepository.chunk(this.reads, selection, CSV_COLUMNS, from, this.chunkSize);
    const rows = found.rows as CsvCaseRow[];
    const names = { units: found.unitNames, subjects: found.subjectNames };
    return {
      last: rows.at(-1) ?? null,
      full: rows.length === this.chunkSize,
      text: rows.map((row) => csvLine(csvRow(row, names, selection.now))).join(''),
    };
  }
}

interface Chunk {
  last: CsvCaseRow | null;
  full: boolean;
  text: string;
}
