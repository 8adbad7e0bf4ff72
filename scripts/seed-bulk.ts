/**
 * `npm run seed:bulk -- --cases 1000000`: fills a database with realistic cases for measuring at scale.
 *
 * 1. The service's own start-up (createApp: migrations, admin bootstrap) on the target database.
 * 2. A unit tree (province → cities → counties) with officers, leaders and cadres: direct inserts, one
 *    argon2 hash shared by every seeded user (password `bulk-seed-password`).
 * 3. A few hundred template cases played through the real routes in-process with a ManualClock, one or
 *    more per lifecycle path (scripts/bulk/scenarios.ts), and one case with 1,000 events for the verify
 *    benchmark.
 * 4. Clones of the templates, copied generically (`SELECT *` of every table with a `case_id`), with new
 *    ids, other subjects, staff and titles, moved back in time by whole weeks, each clone's audit hash
 *    chain recomputed — written in large transactions with the service stopped.
 * 5. A sample of clones checked with the service's own `GET /cases/:id/audit/verify` logic.
 *
 * Options: --cases N (required)  --database <sqlite file> | --database-url postgres://… (else DATABASE_URL,
 *          else DATABASE_PATH)  --seed S  --append
 *          --batch N (cases per transaction, 5000)  --sample N (clones verified at the end, 50)
 *          --templates-per-percent N (3)  --no-verify-case  --keep-indexes (no drop/rebuild, to compare)
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import cliProgress from 'cli-progress';

import { hashPassword } from '../src/auth/password-hasher.js';
import { CaseHistoryService } from '../src/cases/case-history.service.js';
import { ManualClock, SystemClock } from '../src/common/clock.js';
import { appendOnlyRowId } from '../src/common/row-id.js';
import { type AppConfig, ConfigError, loadConfig, readEnvironment } from '../src/config/app-config.js';
import { createApp } from '../src/configure-app.js';
import { runSql } from '../src/database/sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import type { BulkWriter } from './bulk/bulk-writer.js';
import {
  AUDIT_TABLE,
  type CompiledTemplate,
  compileTemplate,
  instantiate,
  type TemplateRows,
  WEEK_MS,
  weeksBackRange,
} from './bulk/case-template.js';
import { caseDescription, caseTitle } from './bulk/names.js';
import { allUnits, allUsers, BULK_PASSWORD, generatePopulation, type Population, type SeedUnit } from './bulk/population.js';
import { PostgresBulkWriter } from './bulk/postgres-writer.js';
import { Rng, WeightedPicker } from './bulk/rng.js';
import { type Scenario, SCENARIOS } from './bulk/scenarios.js';
import { SqliteBulkWriter } from './bulk/sqlite-writer.js';
import { TemplateDriver } from './bulk/template-cases.js';
import { runScript } from './run-script.js';

const DAY = 24 * 3600 * 1000;
/** Closed and withdrawn cases spread over three years; open ones over the last months at most. */
const MAX_AGE_FINAL = 3 * 365 * DAY;
const MAX_AGE_OPEN = 120 * DAY;
/** A clone's running time limit stays at least this far in the future, so the sweeper leaves it alone. */
const DEADLINE_MARGIN = DAY;
const SKIPPED_TABLES = new Set(['access_log']);

interface Options {
  cases: number;
  databasePath: string;
  /** PostgreSQL instead of the SQLite file */
  databaseUrl: string | undefined;
  seed: number;
  append: boolean;
  batch: number;
  sample: number;
  templatesPerPercent: number;
  verifyCase: boolean;
  /** insert into the indexes row by row instead of rebuilding them after the load (for comparison) */
  keepIndexes: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string' },
      database: { type: 'string' },
      'database-url': { type: 'string' },
      seed: { type: 'string', default: '1' },
      append: { type: 'boolean', default: false },
      batch: { type: 'string', default: '5000' },
      sample: { type: 'string', default: '50' },
      'templates-per-percent': { type: 'string', default: '3' },
      'no-verify-case': { type: 'boolean', default: false },
      'keep-indexes': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, text: string | undefined, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      throw new ConfigError(`--${name} must be an integer ≥ ${min} (got ${String(text)})`);
    }
    return n;
  };
  if (values.cases === undefined) {
    throw new ConfigError('usage: npm run seed:bulk -- --cases N [--database file.sqlite] [--seed S] [--append]');
  }
  return {
    cases: int('cases', values.cases, 1),
    databasePath: values.database ?? process.env.DATABASE_PATH ?? './data/case-review.sqlite',
    databaseUrl: values['database-url'] ?? (values.database ? undefined : process.env.DATABASE_URL),
    seed: int('seed', values.seed, 0),
    append: values.append ?? false,
    batch: int('batch', values.batch, 1),
    sample: int('sample', values.sample, 0),
    templatesPerPercent: int('templates-per-percent', values['templates-per-percent'], 1),
    verifyCase: !(values['no-verify-case'] ?? false),
    keepIndexes: values['keep-indexes'] ?? false,
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function count(app: NestFastifyApplication, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await app.get(UnitOfWork).run((manager) => runSql<{ n: number | string }>(manager, sql, params));
  return Number(rows[0]?.n ?? 0);
}

/** Units and users with direct inserts in one unit of work; every user shares one argon2 hash. */
async function insertPopulation(app: NestFastifyApplication, population: Population, at: string): Promise<void> {
  const passwordHash = await hashPassword(BULK_PASSWORD);
  await app.get(UnitOfWork).run(async (manager) => {
    for (const unit of allUnits(population)) {
      await runSql(manager, 'INSERT INTO units (id, name, parent_id, path, created_at) VALUES (?, ?, ?, ?, ?)', [
        unit.id,
        unit.name,
        unit.parentId,
        unit.path,
        at,
      ]);
    }
    for (const user of allUsers(population)) {
      await runSql(
        manager,
        'INSERT INTO users (id, username, display_name, password_hash, roles, unit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [user.id, user.username, user.displayName, passwordHash, JSON.stringify(user.roles), user.unitId, at],
      );
    }
  });
}

interface BuiltTemplate {
  scenario: Scenario;
  caseId: string;
  title: string;
  description: string;
}

/** Plays every scenario `perPercent × weight` times (at least twice), each ending before `now`. */
async function buildTemplates(
  driver: TemplateDriver,
  rng: Rng,
  now: Date,
  perPercent: number,
  onDone: () => void,
): Promise<BuiltTemplate[]> {
  const built: BuiltTemplate[] = [];
  for (const scenario of SCENARIOS) {
    const copies = Math.max(2, Math.round(scenario.weight * perPercent));
    for (let i = 0; i < copies; i++) {
      const start = now.getTime() - scenario.span * DAY - rng.next() * scenario.recent * DAY;
      driver.clock.set(new Date(start));
      const script = driver.script(rng);
      await scenario.run(script);
      if (driver.clock.now() > now) {
        throw new Error(`template ${scenario.name} ran past now (${driver.clock.now().toISOString()}): raise its span`);
      }
      built.push({ scenario, caseId: script.caseId, title: script.title, description: script.description });
      onDone();
    }
  }
  return built;
}

/** A case with 1,000 events (opening, 998 evidence uploads, the explanation), for the verify benchmark. */
async function buildVerifyCase(driver: TemplateDriver, rng: Rng, now: Date): Promise<string> {
  driver.clock.set(new Date(now.getTime() - DAY));
  const script = driver.script(rng);
  await script.open();
  const ids: string[] = [];
  for (let i = 0; i < 998; i++) {
    driver.clock.advance(30_000);
    ids.push(...(await script.evidence(1, i % 2 === 0 ? 'cadre' : 'officer')));
  }
  driver.clock.advance(60_000);
  await script.explain(ids.slice(0, 5));
  return script.caseId;
}

interface LoadedTemplate {
  compiled: CompiledTemplate;
  weeksBack: number;
  built: BuiltTemplate;
}

async function loadTemplates(writer: BulkWriter, built: BuiltTemplate[], now: number): Promise<LoadedTemplate[]> {
  const ids = built.map((t) => t.caseId);
  const tables = (await writer.caseTables()).filter((t) => !SKIPPED_TABLES.has(t));
  const caseRows = await writer.selectRows('cases', 'id', ids);
  const owned = new Map<string, Awaited<ReturnType<BulkWriter['selectRows']>>>();
  for (const table of tables) {
    owned.set(table, await writer.selectRows(table, 'case_id', ids, table === AUDIT_TABLE ? 'case_id, seq' : undefined));
  }
  return built.map((template) => {
    const rows: TemplateRows = { caseId: template.caseId, title: template.title, description: template.description, tables: new Map() };
    const caseRow = caseRows.find((r) => r.id === template.caseId)!;
    rows.tables.set('cases', [caseRow]);
    for (const [table, all] of owned) {
      rows.tables.set(
        table,
        all.filter((r) => r.case_id === template.caseId),
      );
    }
    const openDue = (rows.tables.get('deadlines') ?? []).filter((d) => d.status === 'open').map((d) => Date.parse(d.due_at as string));
    const final = caseRow.state === 'closed' || caseRow.state === 'withdrawn';
    const weeksBack = weeksBackRange(
      { openedAt: Date.parse(caseRow.created_at as string), openDueAt: openDue.length > 0 ? Math.min(...openDue) : null },
      now,
      final ? MAX_AGE_FINAL : MAX_AGE_OPEN,
      DEADLINE_MARGIN,
    );
    return { compiled: compileTemplate(rows), weeksBack, built: template };
  });
}

/** How a template's people and units map onto a clone's county. */
function idMapper(population: Population, cast: { county: SeedUnit; city: SeedUnit }, known: Set<string>) {
  type Role = (target: { county: SeedUnit; city: SeedUnit; rotation: number; cadre: number }) => string;
  const roles = new Map<string, Role>();
  roles.set(cast.county.id, (t) => t.county.id);
  roles.set(cast.city.id, (t) => t.city.id);
  const staff = (unit: SeedUnit, pick: (t: Parameters<Role>[0]) => SeedUnit) => {
    unit.officers.forEach((u, i) => roles.set(u.id, (t) => pick(t).officers[(i + t.rotation) % pick(t).officers.length].id));
    unit.leaders.forEach((u, i) => roles.set(u.id, (t) => pick(t).leaders[(i + t.rotation) % pick(t).leaders.length].id));
  };
  staff(cast.county, (t) => t.county);
  staff(cast.city, (t) => t.city);
  cast.county.cadres.forEach((u, i) => roles.set(u.id, (t) => t.county.cadres[(t.cadre + i) % t.county.cadres.length].id));
  void population;
  return (target: Parameters<Role>[0]) =>
    (id: string): string => {
      const role = roles.get(id);
      if (role) {
        return role(target);
      }
      if (known.has(id)) {
        return id;
      }
      // Append-only rows keep time-ordered ids (their primary key grows at its right edge), others random ones.
      return id[14] === '7' ? appendOnlyRowId() : randomUUID();
    };
}

async function verifySample(config: AppConfig, caseIds: string[]): Promise<{ ok: number; failed: Array<{ id: string; result: unknown }> }> {
  const app = await createApp(config, new SystemClock());
  try {
    const history = app.get(CaseHistoryService);
    const admin = { id: 'bulk-seed-check', username: 'bulk-seed-check', roles: ['admin' as const], unitId: '' };
    const failed: Array<{ id: string; result: unknown }> = [];
    for (const id of caseIds) {
      const result = await history.verify(admin, id);
      if (!result.valid || !result.replay.matches) {
        failed.push({ id, result });
      }
    }
    return { ok: caseIds.length - failed.length, failed };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const env = {
    ...readEnvironment(),
    DATABASE_PATH: options.databasePath,
    DATABASE_URL: options.databaseUrl ?? '',
    LOG_LEVEL: 'warn',
    SWEEP_INTERVAL_MS: String(24 * 3600 * 1000),
    // The verify benchmark's case takes 998 uploads, one every 30 s of the seed's clock: far past the
    // evidence limits a person has in service (issue 16), which guard the disk, not the seed.
    EVIDENCE_MAX_FILES_PER_CASE: '100000',
    EVIDENCE_MAX_FILES_PER_HOUR: '100000',
  };
  const config = loadConfig(env);
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('seed:bulk refuses to run with NODE_ENV=production: the seeded passwords are public');
  }
  const started = performance.now();
  let rng = new Rng(options.seed);
  // Whole seconds: every instant the templates record is then exactly representable after shifting.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = new ManualClock(now);
  const target = options.databaseUrl ? options.databaseUrl.replace(/\/\/[^@/]*@/, '//…@') : options.databasePath;
  log(`seed:bulk ${options.cases} cases into ${target} (seed ${options.seed}, now ${now.toISOString()})`);

  // 1–3: through the application.
  const app = await createApp(config, clock);
  let built: BuiltTemplate[];
  let verifyCaseId: string | null = null;
  let population: Population;
  let cast: { county: SeedUnit; city: SeedUnit };
  try {
    const existing = await count(app, 'SELECT COUNT(*) AS n FROM cases');
    if (existing > 0 && !options.append) {
      throw new ConfigError(`seed:bulk: ${target} already holds ${existing} cases; pass --append to add more`);
    }
    const { rows: roots } = await app
      .get(UnitOfWork)
      .run((m) => runSql<{ id: string; path: string }>(m, 'SELECT id, path FROM units WHERE parent_id IS NULL'));
    const runs = await count(app, "SELECT COUNT(*) AS n FROM users WHERE username LIKE 'p%.admin'");
    // An appended run gets its own province, ids and prefix (p2, p3…): the same seed must not draw the same ids.
    if (runs > 0) {
      rng = new Rng(options.seed + runs * 0x9e3779b1);
    }
    population = generatePopulation(rng, {
      prefix: `p${runs + 1}`,
      rootId: roots[0].id,
      rootPath: roots[0].path,
      cities: 12,
      countiesPerCity: [10, 20],
      cadresPerCounty: [20, 40],
    });
    await insertPopulation(app, population, new Date(now.getTime() - MAX_AGE_FINAL - 30 * DAY).toISOString());
    const units = allUnits(population).length;
    const users = allUsers(population).length;
    log(
      `population: ${units} units (1 province, ${population.cities.length} cities, ${population.counties.length} counties), ${users} users`,
    );

    cast = { county: population.counties[0], city: population.parentOf.get(population.counties[0].id)! };
    const driver = new TemplateDriver(app, clock, cast);
    const templateCount = SCENARIOS.reduce((sum, s) => sum + Math.max(2, Math.round(s.weight * options.templatesPerPercent)), 0);
    const bar = new cliProgress.SingleBar({ format: 'templates [{bar}] {value}/{total} {duration}s' }, cliProgress.Presets.shades_classic);
    bar.start(templateCount, 0);
    built = await buildTemplates(driver, rng, now, options.templatesPerPercent, () => bar.increment());
    bar.stop();
    if (options.verifyCase) {
      log('the 1,000-event case for the verify benchmark…');
      verifyCaseId = await buildVerifyCase(driver, rng, now);
    }
    // Anything still due before now fires now, as the service would at start-up.
    clock.set(now);
    await driver.sweep();
  } finally {
    await app.close();
  }
  const templatesDone = performance.now();
  log(`${built.length} template cases in ${((templatesDone - started) / 1000).toFixed(1)} s`);

  // 4: clones, with the service stopped.
  const writer: BulkWriter = options.databaseUrl
    ? await PostgresBulkWriter.connect(options.databaseUrl)
    : new SqliteBulkWriter(options.databasePath);
  const clones = Math.max(0, options.cases - built.length - (verifyCaseId ? 1 : 0));
  let rowsWritten = 0;
  const sampleIds: string[] = [];
  try {
    const templates = await loadTemplates(writer, built, now.getTime());
    const known = new Set([...(await writer.ids('users')), ...(await writer.ids('units'))]);
    const mapperFor = idMapper(population, cast, known);
    const byScenario = new Map<Scenario, LoadedTemplate[]>();
    for (const t of templates) {
      byScenario.set(t.built.scenario, [...(byScenario.get(t.built.scenario) ?? []), t]);
    }
    const scenarioPicker = new WeightedPicker(SCENARIOS, (s) => s.weight);
    const countyPicker = new WeightedPicker(population.counties, (c) => c.weight);
    const tables = ['cases', ...(await writer.caseTables()).filter((t) => !SKIPPED_TABLES.has(t))];
    await writer.beginLoad(tables, options.keepIndexes);
    const bar = new cliProgress.SingleBar(
      // Without a terminal (a log file, CI) a line every 10 s instead of a redrawn bar.
      {
        format: 'cases [{bar}] {percentage}% {value}/{total} | {rate} cases/s | {rows} rows | ETA {eta_formatted}',
        noTTYOutput: true,
        notTTYSchedule: 10000,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(clones, 0, { rate: 0, rows: 0 });
    const loadStarted = performance.now();
    const sampleEvery = options.sample > 0 ? Math.max(1, Math.floor(clones / options.sample)) : Infinity;
    for (let i = 0; i < clones; i++) {
      const template = rng.pick(byScenario.get(scenarioPicker.pick(rng))!);
      const county = countyPicker.pick(rng);
      const city = population.parentOf.get(county.id)!;
      const clone = instantiate(template.compiled, {
        mapId: mapperFor({ county, city, rotation: rng.int(0, 3), cadre: rng.int(0, county.cadres.length - 1) }),
        shiftMs: -rng.int(0, template.weeksBack) * WEEK_MS,
        title: caseTitle(rng, county.name),
        description: caseDescription(rng),
      });
      for (const { table, columns, rows } of clone.tables) {
        writer.add(table, columns, rows);
        rowsWritten += rows.length;
      }
      if (i % sampleEvery === 0 && sampleIds.length < options.sample) {
        sampleIds.push(clone.caseId);
      }
      if ((i + 1) % options.batch === 0 || i === clones - 1) {
        await writer.flush();
        const seconds = (performance.now() - loadStarted) / 1000;
        bar.update(i + 1, { rate: Math.round((i + 1) / seconds), rows: rowsWritten });
        // better-sqlite3 is synchronous: let the bar's timer run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    bar.stop();
    const loaded = performance.now();
    log(
      `cloned ${clones} cases, ${rowsWritten} rows in ${((loaded - loadStarted) / 1000).toFixed(1)} s (${Math.round(rowsWritten / ((loaded - loadStarted) / 1000))} rows/s)`,
    );
    await writer.endLoad((what) => log(`rebuilding ${what}…`));
    log(`indexes rebuilt in ${((performance.now() - loaded) / 1000).toFixed(1)} s`);
    log(`database size (${writer.engine}): ${((await writer.sizeBytes()) / 1024 ** 3).toFixed(2)} GiB`);
  } finally {
    await writer.close();
  }
  const seconds = (performance.now() - started) / 1000;

  // 5: the service's own verification on a sample of clones (and the big case).
  if (sampleIds.length > 0 || verifyCaseId) {
    const checked = await verifySample(config, [...sampleIds, ...(verifyCaseId ? [verifyCaseId] : [])]);
    log(`verify: ${checked.ok} of ${checked.ok + checked.failed.length} sampled cases valid (chain + replay)`);
    if (checked.failed.length > 0) {
      log(JSON.stringify(checked.failed.slice(0, 3), null, 2));
      process.exitCode = 1;
    }
  }
  log(
    `users: ${population.admin.username} (admin), ${population.cities[0].leaders[0].username} (leader of ${population.cities[0].name}); password ${BULK_PASSWORD}`,
  );
  if (verifyCaseId) {
    log(`verify case (1,000 events): ${verifyCaseId}`);
  }
  log(
    `DONE ${options.cases} cases, ${rowsWritten} cloned rows in ${seconds.toFixed(1)} s: ${Math.round(options.cases / seconds)} cases/s, ${Math.round(rowsWritten / seconds)} rows/s overall`,
  );
}

runScript('seed:bulk', main);
