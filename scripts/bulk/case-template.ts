import { GENESIS_HASH, hashCanonical } from '../../src/audit/hash-chain.js';

/** A row as `SELECT *` returns it: column name → value. */
export type Row = Record<string, unknown>;

/** Every row of one template case: its `cases` row and the rows of each table that has a `case_id`. */
export interface TemplateRows {
  caseId: string;
  title: string;
  description: string;
  /** table → rows; the audit table's rows in seq order */
  tables: Map<string, Row[]>;
}

type Slot =
  { kind: 'id'; id: string } | { kind: 'ts'; ms: number } | { kind: 'date'; ms: number } | { kind: 'title' } | { kind: 'description' };

/** A string value cut into literal parts around slots: parts[0] slot[0] parts[1] slot[1] … parts[n]. */
class Pattern {
  constructor(
    readonly parts: string[],
    readonly refs: number[],
  ) {}

  fill(values: readonly string[]): string {
    let text = this.parts[0];
    for (let i = 0; i < this.refs.length; i++) {
      text += values[this.refs[i]] + this.parts[i + 1];
    }
    return text;
  }
}

export interface CompiledTable {
  table: string;
  columns: string[];
  rows: unknown[][];
}

export interface CompiledTemplate {
  caseId: string;
  slots: Slot[];
  tables: CompiledTable[];
}

export const AUDIT_TABLE = 'audit_events';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TIMESTAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
/** the only date-only values: when the conduct occurred, in the opening event's data */
const OCCURRED = '(?<="occurredAt":")\\d{4}-\\d{2}-\\d{2}(?=")';
const WHOLE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Cuts every string of a template case into literal text and slots: ids (UUIDs), instants (ISO 8601
 * UTC with milliseconds, as the service writes them), the date the conduct occurred, the title and the
 * description. A clone then fills the slots (new ids, shifted instants, another title) without parsing
 * anything. Columns are copied generically: whatever columns `SELECT *` returned, a later migration's
 * included. Substituted values have the same JSON form (ids for ids, instants for instants, titles
 * without characters JSON escapes), so canonical JSON stays canonical (RFC 8785 orders keys, and no key
 * is an id) and the stored event data can be hashed as it is.
 */
export function compileTemplate(template: TemplateRows): CompiledTemplate {
  const slots: Slot[] = [];
  const slotIndex = new Map<string, number>();
  const slot = (key: string, make: () => Slot): number => {
    let index = slotIndex.get(key);
    if (index === undefined) {
      index = slots.length;
      slots.push(make());
      slotIndex.set(key, index);
    }
    return index;
  };
  const alternatives = [template.description, template.title].filter((t) => t.length > 0).map(escapeRegex);
  const pattern = new RegExp([...alternatives, UUID, TIMESTAMP, OCCURRED].join('|'), 'g');

  const compileValue = (value: unknown): unknown => {
    if (typeof value !== 'string') {
      return value;
    }
    if (WHOLE_DATE.test(value)) {
      return new Pattern(['', ''], [slot(`date:${value}`, () => ({ kind: 'date', ms: Date.parse(`${value}T00:00:00.000Z`) }))]);
    }
    const parts: string[] = [];
    const refs: number[] = [];
    let last = 0;
    for (const match of value.matchAll(pattern)) {
      const text = match[0];
      let ref: number;
      if (text === template.description) {
        ref = slot('description', () => ({ kind: 'description' }));
      } else if (text === template.title) {
        ref = slot('title', () => ({ kind: 'title' }));
      } else if (text.length === 36 && text[8] === '-') {
        ref = slot(`id:${text}`, () => ({ kind: 'id', id: text }));
      } else if (text.length === 10) {
        ref = slot(`date:${text}`, () => ({ kind: 'date', ms: Date.parse(`${text}T00:00:00.000Z`) }));
      } else {
        ref = slot(`ts:${text}`, () => ({ kind: 'ts', ms: Date.parse(text) }));
      }
      parts.push(value.slice(last, match.index));
      refs.push(ref);
      last = match.index + text.length;
    }
    if (refs.length === 0) {
      return value;
    }
    parts.push(value.slice(last));
    return new Pattern(parts, refs);
  };

  const tables: CompiledTable[] = [];
  for (const [table, rows] of template.tables) {
    if (rows.length === 0) {
      continue;
    }
    const columns = Object.keys(rows[0]);
    tables.push({ table, columns, rows: rows.map((row) => columns.map((column) => compileValue(row[column]))) });
  }
  return { caseId: template.caseId, slots, tables };
}

/** The ids a template mentions (cases, users, units, rows), for the caller to map. */
export function templateIds(compiled: CompiledTemplate): string[] {
  return compiled.slots.flatMap((s) => (s.kind === 'id' ? [s.id] : []));
}

export interface CloneSpec {
  /** the clone's id for a template id: an existing user or unit, or a fresh id for a row of the clone (called once per distinct id) */
  mapId: (templateId: string) => string;
  /** added to every instant and date (a whole number of days keeps working-day deadlines on working days) */
  shiftMs: number;
  title: string;
  description: string;
}

export interface ClonedCase {
  caseId: string;
  /** table → rows in the compiled column order */
  tables: Array<{ table: string; columns: string[]; rows: unknown[][] }>;
}

/** One clone of a template: every slot filled, then its audit hash chain recomputed. */
export function instantiate(compiled: CompiledTemplate, spec: CloneSpec): ClonedCase {
  const values = compiled.slots.map((slot): string => {
    switch (slot.kind) {
      case 'id':
        return spec.mapId(slot.id);
      case 'ts':
        return new Date(slot.ms + spec.shiftMs).toISOString();
      case 'date':
        return new Date(slot.ms + spec.shiftMs).toISOString().slice(0, 10);
      case 'title':
        return spec.title;
      case 'description':
        return spec.description;
    }
  });
  const caseIdSlot = compiled.slots.findIndex((s) => s.kind === 'id' && s.id === compiled.caseId);
  const tables = compiled.tables.map(({ table, columns, rows }) => ({
    table,
    columns,
    rows: rows.map((row) => row.map((value) => (value instanceof Pattern ? value.fill(values) : value))),
  }));
  const audit = tables.find((t) => t.table === AUDIT_TABLE);
  if (audit) {
    rechain(audit.columns, audit.rows);
  }
  return { caseId: values[caseIdSlot], tables };
}

/**
 * Recomputes prev_hash and hash of a case's events (given in seq order) with the service's own hashing
 * (src/audit/hash-chain.ts). `data` is stored as canonical JSON and stays canonical after the slots are
 * filled, so it is hashed as it is, like the service does when it appends.
 */
export function rechain(columns: readonly string[], rows: unknown[][]): void {
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) {
      throw new Error(`${AUDIT_TABLE} has no column ${name}`);
    }
    return index;
  };
  const c = {
    caseId: at('case_id'),
    seq: at('seq'),
    type: at('type'),
    actorId: at('actor_id'),
    actorRole: at('actor_role'),
    at: at('at'),
    data: at('data'),
    machineVersion: at('machine_version'),
    prevHash: at('prev_hash'),
    hash: at('hash'),
  };
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    row[c.prevHash] = prevHash;
    const hash = hashCanonical({
      caseId: row[c.caseId] as string,
      seq: Number(row[c.seq]),
      type: row[c.type] as string,
      actorId: row[c.actorId] as string,
      actorRole: row[c.actorRole] as string,
      at: row[c.at] as string,
      data: row[c.data] as string,
      machineVersion: Number(row[c.machineVersion]),
      prevHash,
    });
    row[c.hash] = hash;
    prevHash = hash;
  }
}

const DAY_MS = 24 * 3600 * 1000;
export const WEEK_MS = 7 * DAY_MS;

/** What constrains how far back a clone may be moved. */
export interface TemplateTiming {
  openedAt: number;
  /** the earliest due instant among deadlines still open, or null */
  openDueAt: number | null;
}

/**
 * How many whole weeks back a clone may be moved: it must not open more than `maxAgeMs` before `now`,
 * and a deadline still open must stay due at least `marginMs` after `now` (else the service's sweeper
 * would fire it at start-up). Whole weeks keep working-day deadlines on working days (China has no DST).
 */
export function weeksBackRange(timing: TemplateTiming, now: number, maxAgeMs: number, marginMs: number): number {
  let earliest = now - maxAgeMs - timing.openedAt;
  if (timing.openDueAt !== null) {
    earliest = Math.max(earliest, now + marginMs - timing.openDueAt);
  }
  return earliest >= 0 ? 0 : Math.floor(-earliest / WEEK_MS);
}
