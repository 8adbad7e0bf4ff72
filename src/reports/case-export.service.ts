import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { type CaseSelection, chunkAfter, toCaseFilter } from '../cases/case-list.js';
import { listScope } from '../cases/case-scope.js';
import type { CaseFilterQuery } from '../cases/dto/case-filter.query.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CSV_COLUMNS, CSV_HEADER, type CsvCaseRow, csvRow } from './case-csv.js';
import { BOM, csvLine } from './csv.js';
import { unitNames } from './reports.service.js';

/** Rows per database round trip: small enough not to hold the SQLite queue, large enough to stream fast. */
const CHUNK = 500;

/**
 * GET /reports/cases.csv: the cases of GET /cases (same scope, filters and order), one row each, written
 * as they are read. Each chunk is its own unit of work, found by keyset (after the last row sent), so the
 * export never holds the database for long and never holds the file in memory. It is not a snapshot: a
 * case changed during the export appears as it was when its chunk was read.
 */
@Injectable()
export class CaseExportService {
  /** Rows per chunk; the e2e tests lower it to walk several chunks over a handful of cases. */
  chunkSize = CHUNK;

  constructor(@Inject(UnitOfWork) private readonly uow: UnitOfWork) {}

  /** Resolves the scope before the first byte, so refusals are still plain JSON errors. */
  async export(actor: AuthUser, query: CaseFilterQuery, now: Date): Promise<Readable> {
    const scope = await this.uow.read((manager) => listScope(manager, actor, query.unitId));
    const selection: CaseSelection = { scope, filter: toCaseFilter(query), sort: query.sort, now: now.toISOString() };
    return Readable.from(this.lines(selection));
  }

  private async *lines(selection: CaseSelection): AsyncGenerator<string> {
    yield BOM + csvLine(CSV_HEADER);
    if (selection.scope.length === 0) {
      return;
    }
    let last: CsvCaseRow | null = null;
    for (;;) {
      const from: CsvCaseRow | null = last;
      const chunk: Chunk = await this.uow.read(async (manager): Promise<Chunk> => {
        const rows = await chunkAfter<CsvCaseRow>(manager, selection, CSV_COLUMNS, from, this.chunkSize);
        const names = {
          units: await unitNames(manager, [...new Set(rows.map((r) => String(r.unit_id)))]),
          subjects: await displayNames(manager, [...new Set(rows.map((r) => String(r.subject_id)))]),
        };
        return { last: rows.at(-1) ?? null, full: rows.length === this.chunkSize, text: rows.map((row) => csvLine(csvRow(row, names, selection.now))).join('') };
      });
      if (chunk.text !== '') {
        yield chunk.text;
      }
      if (!chunk.full) {
        return;
      }
      last = chunk.last;
    }
  }
}

interface Chunk {
  last: CsvCaseRow | null;
  full: boolean;
  text: string;
}

async function displayNames(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const { rows } = await runSql<{ id: string; display_name: string }>(
    manager,
    `SELECT id, display_name FROM users WHERE id IN (${ids.map(() => '?').join(', ')})`,
    [...ids],
  );
  return new Map(rows.map((row) => [row.id, row.display_name]));
}
