import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import type { ManualClock } from '../../src/common/clock.js';
import { DeadlineSweeper } from '../../src/deadlines/deadline-sweeper.js';
import { CASE_SOURCES, type Outcome } from '../../src/workflow/case-types.js';
import { caseDescription, caseTitle, CATEGORIES } from './names.js';
import { BULK_PASSWORD, type SeedUnit, type SeedUser } from './population.js';
import type { Rng } from './rng.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** The people template cases are played by: staff of one county and of the city above it. */
export interface TemplateCast {
  county: SeedUnit;
  city: SeedUnit;
}

interface CaseBody {
  id: string;
  state: string;
  deadlines: Array<{ kind: string; dueAt: string; actionId: string | null }>;
}

/**
 * Drives one template case through the real application in-process (`app.inject`: the same routes,
 * guards, validation and command path as HTTP clients), moving a ManualClock between steps and running
 * the deadline sweeper when a time limit passes.
 */
export class Script {
  caseId = '';
  /** the outcome the policy recommended at the last assessment */
  recommended: Outcome | null = null;
  private subject = 0;
  private last: CaseBody | null = null;

  constructor(
    private readonly driver: TemplateDriver,
    readonly rng: Rng,
    readonly title: string,
    readonly description: string,
  ) {}

  private get clock() {
    return this.driver.clock;
  }

  /** Moves the clock on by about `days` (plus a few working hours of jitter). */
  wait(days: number): void {
    this.clock.advance(days * DAY + this.rng.int(1, 6) * HOUR + this.rng.int(0, 59) * 60000);
  }

  /** Moves the clock just past the open deadline of `kind` and sweeps: the time limit passes. */
  async lapse(kind: string): Promise<void> {
    const deadline = (await this.view()).deadlines.find((d) => d.kind === kind);
    if (!deadline) {
      throw new Error(`template: no open ${kind} deadline on ${this.caseId}`);
    }
    this.clock.set(new Date(Date.parse(deadline.dueAt) + this.rng.int(1, 3) * HOUR));
    await this.driver.sweep();
  }

  private async view(): Promise<CaseBody> {
    return (this.last = (await this.driver.call('GET', `/cases/${this.caseId}`, await this.driver.officer(0))) as CaseBody);
  }

  /** Opens the case about one of the county's cadres (a different one from case to case). */
  async open(): Promise<void> {
    const cadres = this.driver.cast.county.cadres;
    this.subject = this.rng.int(0, cadres.length - 1);
    const body = (await this.driver.call(
      'POST',
      '/cases',
      await this.driver.officer(0),
      {
        subjectId: cadres[this.subject].id,
        title: this.title,
        description: this.description,
        occurredAt: new Date(this.clock.now().getTime() - this.rng.int(10, 200) * DAY).toISOString().slice(0, 10),
        category: this.rng.pick(CATEGORIES),
        source: this.rng.pick(CASE_SOURCES),
      },
      201,
    )) as CaseBody;
    this.caseId = body.id;
    this.last = body;
  }

  async evidence(count: number, by: 'cadre' | 'officer' = 'cadre'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const token = by === 'cadre' ? await this.driver.cadre(this.subject) : await this.driver.officer(1);
      const name = `${by === 'cadre' ? '情况说明' : '调查笔录'}-${this.rng.int(1000, 9999)}.txt`;
      const body = (await this.driver.upload(this.caseId, token, name, `${this.title}\n${this.description}\n${name}\n`)) as { id: string };
      ids.push(body.id);
    }
    return ids;
  }

  async explain(evidenceIds: string[] = []): Promise<void> {
    await this.command('explanation', await this.driver.cadre(this.subject), {
      statement: '本人在推进工作中出于公心，按照试点要求先行先试，已积极采取补救措施，恳请组织予以容错。',
      ...(evidenceIds.length > 0 ? { evidenceIds } : {}),
    });
  }

  /** Records an assessment meant to lead to `outcome`; the policy may still say otherwise (a repeat error). */
  async assess(outcome: Outcome, assessor = 1): Promise<void> {
    await this.command('assessment', await this.driver.officer(assessor), assessmentFor(outcome, this.rng));
    this.recommended = (this.last as unknown as { recommendation: { outcome: Outcome } }).recommendation.outcome;
  }

  async approve(leader = 0): Promise<void> {
    await this.command('review', await this.driver.leader(leader), { decision: 'approve' });
  }

  async override(outcome: Outcome, leader = 0): Promise<void> {
    await this.command('review', await this.driver.leader(leader), {
      decision: 'override',
      outcome,
      reason: '综合考虑情节和一贯表现，领导班子集体研究后调整处理意见。',
    });
  }

  async returnForWork(leader = 0): Promise<void> {
    await this.command('review', await this.driver.leader(leader), { decision: 'return', reason: '事实认定依据不足，请补充调查材料。' });
  }

  async withdraw(clearName: boolean): Promise<void> {
    await this.command('withdraw', await this.driver.officer(0), { reason: '经核查，反映问题不属实。', clearName });
  }

  async appeal(): Promise<void> {
    await this.command('appeal', await this.driver.cadre(this.subject), { reason: '对处理结果有异议，认为事实认定不清，申请复核。' });
  }

  async ruleOnAppeal(decision: 'uphold' | 'revise', outcome?: Outcome): Promise<void> {
    await this.command('appeal-review', await this.driver.leader(1), {
      decision,
      ...(outcome ? { outcome } : {}),
      reason: decision === 'uphold' ? '经复核，原处理意见事实清楚、定性准确，予以维持。' : '经复核，申诉理由部分成立，予以改变。',
    });
  }

  async addAction(): Promise<string> {
    const body = (await this.driver.call(
      'POST',
      `/cases/${this.caseId}/corrective-actions`,
      await this.driver.officer(0),
      { description: this.rng.pick(['限期提交整改方案', '完善集体决策程序', '追回违规支出资金', '开展专题警示教育']) },
      201,
    )) as { id: string };
    return body.id;
  }

  async reportAction(actionId: string): Promise<void> {
    await this.command(`corrective-actions/${actionId}/report`, await this.driver.cadre(this.subject), {
      note: '整改措施已落实，相关材料已报送。',
    });
  }

  async verifyAction(actionId: string, accepted = true): Promise<void> {
    await this.command(`corrective-actions/${actionId}/verify`, await this.driver.officer(0), {
      accepted,
      note: accepted ? '经核实，整改到位。' : '整改尚不到位，请继续落实。',
    });
  }

  private async command(path: string, token: string, body: unknown): Promise<void> {
    this.last = (await this.driver.call(
      'POST',
      `/cases/${this.caseId}/${path}`,
      token,
      body,
      path === 'corrective-actions' ? 201 : 200,
    )) as CaseBody;
  }
}

function assessmentFor(outcome: Outcome, rng: Rng) {
  const conditions = { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true };
  const base = {
    intent: 'negligent',
    motive: 'public',
    nature: 'trial-and-error',
    severity: rng.pick(['minor', 'serious']),
    exclusions: [] as string[],
  };
  const findings = '经调查核实，当事人系在推进改革中因经验不足出现失误，未谋取私利。';
  switch (outcome) {
    case 'tolerate':
      return { ...base, conditions, findings };
    case 'correct': {
      const failed = rng.pick(['policyCompliant', 'procedureFollowed', 'diligent', 'remedied'] as const);
      return rng.next() < 0.3
        ? { ...base, severity: 'major', conditions, findings }
        : { ...base, conditions: { ...conditions, [failed]: false }, findings };
    }
    case 'hold-accountable': {
      const variant = rng.int(0, 3);
      return {
        ...base,
        intent: variant === 0 ? 'intentional' : 'negligent',
        motive: variant === 1 ? 'private' : 'public',
        nature: variant === 2 ? 'violation' : 'trial-and-error',
        exclusions: variant === 3 ? [rng.pick(['dereliction', 'arbitrary-decision'])] : [],
        conditions: { ...conditions, remedied: rng.next() < 0.5 },
        findings: '经调查，当事人明知相关规定仍违规操作，造成一定损失。',
      };
    }
  }
}

/** Sends requests through `app.inject` with the cast's tokens. */
export class TemplateDriver {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly app: NestFastifyApplication,
    readonly clock: ManualClock,
    readonly cast: TemplateCast,
  ) {}

  /** Logs a user in through the real route the first time (argon2), then reuses the token. */
  private async token(user: SeedUser): Promise<string> {
    let token = this.tokens.get(user.id);
    if (!token) {
      const body = (await this.call('POST', '/auth/login', undefined, { username: user.username, password: BULK_PASSWORD })) as {
        accessToken: string;
      };
      token = body.accessToken;
      this.tokens.set(user.id, token);
    }
    return token;
  }

  officer = (i: number) => this.token(this.cast.county.officers[i]);
  leader = (i: number) => this.token(this.cast.county.leaders[i]);
  cadre = (i: number) => this.token(this.cast.county.cadres[i]);

  sweep(): Promise<number> {
    return this.app.get(DeadlineSweeper).sweep();
  }

  async call(method: 'GET' | 'POST', url: string, token: string | undefined, body?: unknown, expected = 200): Promise<unknown> {
    const response = await this.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (response.statusCode !== expected) {
      throw new Error(`template: ${method} ${url} → ${response.statusCode} ${response.body}`);
    }
    return response.json();
  }

  async upload(caseId: string, token: string, filename: string, content: string): Promise<unknown> {
    const boundary = `----bulkseed${Date.now().toString(16)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      Buffer.from(content, 'utf8'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await this.app.inject({
      method: 'POST',
      url: `/cases/${caseId}/evidence`,
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    if (response.statusCode !== 201) {
      throw new Error(`template: evidence upload → ${response.statusCode} ${response.body}`);
    }
    return response.json();
  }

  script(rng: Rng): Script {
    const unitName = this.cast.county.name;
    return new Script(this, rng, caseTitle(rng, unitName), caseDescription(rng));
  }
}
