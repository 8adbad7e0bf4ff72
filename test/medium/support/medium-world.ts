import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import Database from 'better-sqlite3';
import type { AuthUser } from '../../../src/auth/auth-user.js';
import type { CaseAggregate } from '../../../src/cases/case-aggregate.js';
import { CaseCommandRunner } from '../../../src/cases/case-command-runner.js';
import { CaseCommandsService } from '../../../src/cases/case-commands.service.js';
import { CasesModule } from '../../../src/cases/cases.module.js';
import { ManualClock } from '../../../src/common/clock.js';
import { loadConfig } from '../../../src/config/app-config.js';
import { CoreModule } from '../../../src/core.module.js';
import { UnitOfWork } from '../../../src/database/unit-of-work.js';
import { DeadlineSweeper } from '../../../src/deadlines/deadline-sweeper.js';
import { UnitEntity } from '../../../src/users/unit.entity.js';
import { UserEntity } from '../../../src/users/user.entity.js';
import type { Role } from '../../../src/workflow/case-types.js';

/** The cast of one case, as the runner sees callers: an opening officer, a second officer, the subject, two leaders. */
export interface Cast {
  officer: AuthUser;
  assessor: AuthUser;
  cadre: AuthUser;
  leader: AuthUser;
  otherLeader: AuthUser;
}

export const NEW_CASE = {
  title: 'Land-use pilot overran its budget',
  description: 'The township pilot spent 12% over the approved budget.',
  occurredAt: '2026-03-15',
  category: 'project-approval',
  source: 'audit',
} as const;

export const TOLERABLE_ASSESSMENT = {
  intent: 'negligent',
  motive: 'public',
  nature: 'trial-and-error',
  conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true },
  severity: 'minor',
  exclusions: [],
  findings: 'Pilot reform acted in good faith; loss recovered.',
} as const;

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
 * idempotency store; CasesModule with the runner, the command services and the sweeper) on a temporary
 * SQLite file whose schema comes from the real migrations, with a ManualClock — and no HTTP: no adapter,
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
    private readonly observer: Database.Database,
    readonly rootUnitId: string,
  ) {}

  static async start(): Promise<MediumWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'case-review-medium-'));
    const path = join(dir, 'medium.sqlite');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: path });
    const clock = new ManualClock();
    const module = await Test.createTestingModule({ imports: [CoreModule.forRoot({ config, clock }), CasesModule] }).compile();
    // A second connection, read-only: it sees only what was committed, as someone reading the file would.
    const observer = new Database(path, { readonly: true });
    const rootUnitId = randomUUID();
    await module.get(UnitOfWork).run((manager) =>
      manager.insert(UnitEntity, { id: rootUnitId, name: 'Root', parentId: null, path: `/${rootUnitId}/`, createdAt: clock.now().toISOString() }),
    );
    return new MediumWorld(module, clock, dir, observer, rootUnitId);
  }

  get uow(): UnitOfWork {
    return this.module.get(UnitOfWork);
  }
  get runner(): CaseCommandRunner {
    return this.module.get(CaseCommandRunner);
  }
  get commands(): CaseCommandsService {
    return this.module.get(CaseCommandsService);
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

  /** Opens a case through the real command service. */
  openCase(cast: Cast, extra: Record<string, unknown> = {}): Promise<CaseAggregate> {
    return this.commands.open(cast.officer, { ...NEW_CASE, subjectId: cast.cadre.id, ...extra });
  }

  /** Opens a case and carries it to pendingReview (explanation, then a tolerable assessment). */
  async caseAwaitingReview(cast: Cast): Promise<CaseAggregate> {
    const opened = await this.openCase(cast);
    await this.commands.submitExplanation(cast.cadre, opened.row.id, null, { statement: 'I acted under the pilot mandate.' });
    return this.commands.recordAssessment(cast.assessor, opened.row.id, null, { ...TOLERABLE_ASSESSMENT, exclusions: [] });
  }

  /** Rows as committed on disk, read through another connection (never inside a batch in flight). */
  committed<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[] {
    return this.observer.prepare(sql).all(...params) as T[];
  }

  count(sql: string, ...params: unknown[]): number {
    return Number(this.observer.prepare(sql).pluck().get(...params));
  }

  footprint(caseId: string): CaseFootprint {
    const [row] = this.committed<{ state: string; version: number; next_due_at: string | null }>(
      'SELECT state, version, next_due_at FROM cases WHERE id = ?',
      caseId,
    );
    return {
      state: row.state,
      version: row.version,
      nextDueAt: row.next_due_at,
      auditTypes: this.committed<{ type: string }>('SELECT type FROM audit_events WHERE case_id = ? ORDER BY seq', caseId).map((e) => e.type),
      deadlines: this.committed<{ kind: string; status: string }>('SELECT kind, status FROM deadlines WHERE case_id = ? ORDER BY due_at, kind', caseId),
      notifications: this.count('SELECT COUNT(*) FROM notifications WHERE case_id = ?', caseId),
    };
  }

  async stop(): Promise<void> {
    this.observer.close();
    await this.module.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
