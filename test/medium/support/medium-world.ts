import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Test, type TestingModule } from '@nestjs/testing';
import Database from 'better-sqlite3';
import pg from 'pg';

import type { AuthUser } from '../../../src/auth/auth-user.js';
import type { CaseAggregate } from '../../../src/cases/case-aggregate.js';
import { CaseCommandRunner } from '../../../src/cases/case-command-runner.js';
import { CasesModule } from '../../../src/cases/cases.module.js';
import { ManualClock } from '../../../src/common/clock.js';
import { loadConfig } from '../../../src/config/app-config.js';
import { CoreModule } from '../../../src/core.module.js';
import { UnitOfWork } from '../../../src/database/unit-of-work.js';
import { DeadlineSweeper } from '../../../src/deadlines/deadline-sweeper.js';
import { UnitEntity } from '../../../src/users/unit.entity.js';
import { UserEntity } from '../../../src/users/user.entity.js';
import type { Role } from '../../../src/workflow/case-types.js';
import { assessment, type AssessmentInput } from '../../../src/workflow/commands/assessment.js';
import { explanation, type ExplanationInput } from '../../../src/workflow/commands/explanation.js';
import type { OpenCaseInput } from '../../../src/workflow/commands/open-case.js';
import { review, type ReviewInput } from '../../../src/workflow/commands/review.js';
import { NEW_CASE, TOLERABLE_ASSESSMENT } from '../../support/case-inputs.js';
import { TestDatabase } from '../../support/test-database.js';

export { NEW_CASE, TOLERABLE_ASSESSMENT };

/** The cast of one case, as the runner sees callers: an opening officer, a second officer, the subject, two leaders. */
export interface Cast {
  officer: AuthUser;
  assessor: AuthUser;
  cadre: AuthUser;
  leader: AuthUser;
  otherLeader: AuthUser;
}

/**
 * A second connection, kept open for the world's life: it sees only what was committed, as someone reading
 * the database would. (TestDatabase.query connects anew for every statement: ~90 ms each on PostgreSQL.)
 */
interface Observer {
  rows<T>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function observe(database: TestDatabase): Observer {
  const url = database.env.DATABASE_URL;
  if (!url) {
    const db = new Database(database.env.DATABASE_PATH, { readonly: true });
    return {
      rows: <T>(sql: string, params: unknown[]) => Promise.resolve(db.prepare(sql).all(...params) as T[]),
      close: () => Promise.resolve(void db.close()),
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    rows: async <T>(sql: string, params: unknown[]) => {
      let index = 0;
      return (
        await pool.query(
          sql.replace(/\?/g, () => `$${++index}`),
          params,
        )
      ).rows as T[];
    },
    close: () => pool.end(),
  };
}

/** What a command can leave behind on a case, read from the committed database. */
export interface CaseFootprint {
  state: string;
  version: number;
  nextDueAt: string | null;
  auditTypes: string[];
  deadlines: Array<{ kind: string; status: string }>;
  notifications: number;
}

/**
 * The medium tier's world: the real domain modules (CoreModule with the unit of work, policies, audit trail,
 * idempotency store; CasesModule with the runner and the sweeper) on a temporary
 * database — a SQLite file, or a fresh PostgreSQL database in jest's `postgres` project (test-database.ts) —
 * whose schema comes from the real migrations, with a ManualClock — and no HTTP: no adapter,
 * no guards, pipes or filter, and no background job (the module is compiled, never initialised, so the
 * sweepers, reader threads and checkpointer do not start).
 *
 * The real modules rather than a hand-picked provider list, so the wiring is the production one: a service
 * that gains a dependency keeps working here.
 */
export class MediumWorld {
  private counter = 0;

  private constructor(
    readonly module: TestingModule,
    readonly clock: ManualClock,
    private readonly dir: string,
    readonly database: TestDatabase,
    private readonly observer: Observer,
    readonly rootUnitId: string,
  ) {}

  static async start(): Promise<MediumWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'case-review-medium-'));
    const database = await TestDatabase.create(dir);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.env });
    const clock = new ManualClock();
    const module = await Test.createTestingModule({ imports: [CoreModule.forRoot({ config, clock }), CasesModule] }).compile();
    const rootUnitId = randomUUID();
    await module.get(UnitOfWork).run((manager) =>
      manager.insert(UnitEntity, {
        id: rootUnitId,
        name: 'Root',
        parentId: null,
        path: `/${rootUnitId}/`,
        createdAt: clock.now().toISOString(),
      }),
    );
    return new MediumWorld(module, clock, dir, database, observe(database), rootUnitId);
  }

  get uow(): UnitOfWork {
    return this.module.get(UnitOfWork);
  }
  get runner(): CaseCommandRunner {
    return this.module.get(CaseCommandRunner);
  }
  /** The commands the specs issue, by name: the runner with each command's definition, as the controllers call it. */
  get commands() {
    const runner = this.runner;
    return {
      open: (actor: AuthUser, input: OpenCaseInput) => runner.open(actor, input),
      submitExplanation: (actor: AuthUser, caseId: string, ifMatch: number | null, input: ExplanationInput) =>
        runner.run(actor, caseId, ifMatch, explanation, input),
      recordAssessment: (actor: AuthUser, caseId: string, ifMatch: number | null, input: AssessmentInput) =>
        runner.run(actor, caseId, ifMatch, assessment, input),
      review: (actor: AuthUser, caseId: string, ifMatch: number | null, input: ReviewInput) =>
        runner.run(actor, caseId, ifMatch, review, input),
    };
  }
  get sweeper(): DeadlineSweeper {
    return this.module.get(DeadlineSweeper);
  }

  /** A unit below `parentId` (default: the root), written as DirectoryService.createUnit writes it. */
  async unit(name: string, parentId: string = this.rootUnitId): Promise<string> {
    const id = randomUUID();
    await this.uow.run(async (manager) => {
      const parent = await manager.findOneOrFail(UnitEntity, { where: { id: parentId } });
      await manager.insert(UnitEntity, { id, name, parentId, path: `${parent.path}${id}/`, createdAt: this.clock.now().toISOString() });
    });
    return id;
  }

  /**
   * A user row, and the caller the runner would see after login. Written directly rather than through
   * DirectoryService.createUser: its argon2 hash costs ~22 ms a user here, and nobody logs in at this tier.
   */
  async user(roles: Role[], unitId: string = this.rootUnitId): Promise<AuthUser> {
    const username = `${roles.join('-')}-${++this.counter}`;
    const id = randomUUID();
    await this.uow.run((manager) =>
      manager.insert(UserEntity, {
        id,
        username,
        displayName: username,
        passwordHash: 'medium tier: never logs in',
        roles,
        unitId,
        createdAt: this.clock.now().toISOString(),
        disabled: false,
        mustChangePassword: false,
        tokenGeneration: 0,
      }),
    );
    return { id, username, roles, unitId };
  }

  async cast(unitId?: string): Promise<Cast> {
    return {
      officer: await this.user(['officer'], unitId),
      assessor: await this.user(['officer'], unitId),
      cadre: await this.user(['cadre'], unitId),
      leader: await this.user(['leader'], unitId),
      otherLeader: await this.user(['leader'], unitId),
    };
  }

  /** Opens a case through the real command runner. */
  openCase(cast: Cast, extra: Record<string, unknown> = {}): Promise<CaseAggregate> {
    return this.commands.open(cast.officer, { ...NEW_CASE, subjectId: cast.cadre.id, ...extra });
  }

  /** Opens a case and carries it to pendingReview (explanation, then a tolerable assessment). */
  async caseAwaitingReview(cast: Cast): Promise<CaseAggregate> {
    const opened = await this.openCase(cast);
    await this.commands.submitExplanation(cast.cadre, opened.row.id, null, { statement: 'I acted under the pilot mandate.' });
    return this.commands.recordAssessment(cast.assessor, opened.row.id, null, { ...TOLERABLE_ASSESSMENT, exclusions: [] });
  }

  /** Rows as committed (`?` placeholders on both engines): work of a batch still in flight is not seen. */
  committed<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
    return this.observer.rows<T>(sql, params);
  }

  async count(sql: string, ...params: unknown[]): Promise<number> {
    const [row] = await this.committed<{ count: unknown }>(sql, ...params);
    return Number(row.count);
  }

  async footprint(caseId: string): Promise<CaseFootprint> {
    const [row] = await this.committed<{ state: string; version: number; next_due_at: string | null }>(
      'SELECT state, version, next_due_at FROM cases WHERE id = ?',
      caseId,
    );
    const audit = await this.committed<{ type: string }>('SELECT type FROM audit_events WHERE case_id = ? ORDER BY seq', caseId);
    return {
      state: row.state,
      version: Number(row.version),
      nextDueAt: row.next_due_at,
      auditTypes: audit.map((e) => e.type),
      deadlines: await this.committed<{ kind: string; status: string }>(
        'SELECT kind, status FROM deadlines WHERE case_id = ? ORDER BY due_at, kind',
        caseId,
      ),
      notifications: await this.count('SELECT COUNT(*) AS count FROM notifications WHERE case_id = ?', caseId),
    };
  }

  async stop(): Promise<void> {
    await this.observer.close();
    await this.module.close();
    await this.database.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
