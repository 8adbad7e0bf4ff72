/**
 * The inbox (GET /me/tasks) as SQL: every task of the caller is one row of a UNION ALL, so that the page is
 * sorted, cut and counted by the database and no request ever holds more than a page of tasks in memory.
 *
 * The rules are those of `tasksFor` (task-list.ts) over `allowedActions` (workflow/case-access.ts): which
 * states a command can happen in is asked of the machine itself (commandPossibleNow, once per state and
 * outcome, below); who may issue it mirrors accessRefusal. task-query.spec.ts builds cases in every state
 * with mixed roles, recusals and separation of duties and checks that this SQL gives exactly what tasksFor
 * over all of them gives: the pure rules stay the source of truth and this file must follow them.
 *
 * Pure: no database, no framework. `?` placeholders (runSql numbers them for PostgreSQL); every value is a
 * parameter, only constants of this file are spelled into the SQL.
 */
import type { Sql } from '../cases/case-filter.js';
import { CASE_COMMANDS, type CaseCommand, COMMAND_ROLES, commandPossibleNow } from '../workflow/case-access.js';
import { CASE_STATES } from '../workflow/case-machine.js';
import { type Outcome, OUTCOMES, type Role } from '../workflow/case-types.js';
import type { TaskRule } from '../workflow/commands/command-definition.js';
import { definitionOf, TASK_ACTIONS, type TaskAction } from '../workflow/commands/registry.js';

export { TASK_ACTIONS, type TaskAction };

/**
 * Kept in step with the partial index idx_cases_open_tasks (migration 1769300000000): spelled out in each
 * branch so that SQLite, which proves a partial index usable only from a literal term, reads it.
 */
export const OPEN_CASE_TERM = "c.state NOT IN ('closed', 'withdrawn')";

export interface InboxActor {
  id: string;
  roles: readonly Role[];
}

/**
 * Where `command` can happen, asked of the machine: the states (and, where a guard reads it, the outcomes)
 * in which its probe events select a transition. The appeal window is the only guard reading time, and an
 * appeal is no task. One term per state, each with `c.state = '…'`: a term of its own lets the database seek
 * that state in idx_cases_open_tasks, where an OR of states made SQLite read every case of the units.
 */
export function stateTerms(command: CaseCommand): string[] {
  const at = '2000-01-01T00:00:00.000Z';
  const outcomes: Array<Outcome | null> = [null, ...OUTCOMES];
  const terms: string[] = [];
  for (const state of CASE_STATES) {
    const possible = outcomes.filter((outcome) =>
      commandPossibleNow(
        { value: state, context: { outcome, recommendedOutcome: null, overridden: false, appealDueAt: null, appealed: false } },
        command,
        at,
      ),
    );
    if (possible.length === outcomes.length) {
      terms.push(`c.state = '${state}'`);
    } else if (possible.length > 0) {
      const listed = possible.map((o) => (o === null ? 'c.outcome IS NULL' : `c.outcome = '${o}'`));
      terms.push(`(c.state = '${state}' AND (${listed.join(' OR ')}))`);
    }
  }
  return terms;
}

/** A JSON array of ids (assessor_ids, reviewer_ids) containing the caller: ids are UUIDs, quoted in the text. */
const listed = (column: string) => `${column} LIKE ?`;
const quotedId = (id: string) => `%"${id.replace(/[\\%_"]/g, '')}"%`;

/**
 * Who may issue `action` on case `c`, as accessRefusal decides it: the subject acts only as subject and only
 * with the cadre role; anyone else needs the command's role, must reach the case's unit, must not be its
 * subject nor have declared a conflict with the subject (回避), and a reviewer or appeal judge must have taken
 * no part before (separation of duties). Null when the caller lacks the role: the branch is left out.
 */
function accessSql(action: TaskAction, actor: InboxActor, unitIds: readonly string[]): Sql | null {
  const [role] = COMMAND_ROLES[action];
  if (!actor.roles.includes(role)) {
    return null;
  }
  if (role === 'cadre') {
    return { sql: 'c.subject_id = ?', params: [actor.id] };
  }
  if (unitIds.length === 0) {
    return null;
  }
  const terms = [
    `c.unit_id IN (${unitIds.map(() => '?').join(', ')})`,
    'c.subject_id <> ?',
    'c.subject_id NOT IN (SELECT x.subject_id FROM conflicts x WHERE x.user_id = ?)',
  ];
  const params: unknown[] = [...unitIds, actor.id, actor.id];
  const earlier = definitionOf(action).independentOf ?? [];
  if (earlier.includes('opened')) {
    terms.push('c.opened_by <> ?');
    params.push(actor.id);
  }
  if (earlier.includes('assessed')) {
    terms.push(`NOT ${listed('c.assessor_ids')}`);
    params.push(quotedId(actor.id));
  }
  if (earlier.includes('reviewed')) {
    terms.push(`NOT ${listed('c.reviewer_ids')}`);
    params.push(quotedId(actor.id));
  }
  return { sql: terms.join(' AND '), params };
}

/** The SQL dialect: the SQLite form names the indexes the page and the counts are read from. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * From this many reachable units on, an officer's page of assessments is read in opening order across all
 * units (idx_cases_open_age), skipping the entries of units out of reach; below it, seeking each unit and
 * sorting its few tasks is cheaper than skipping the province's.
 */
export const ORDERED_WALK_UNITS = 8;

type TaskQueryMode = 'count' | 'page';

/** The index a branch reads on SQLite: named, so that the plan does not depend on the planner's guess. */
type Hint = (index: string) => string;

/**
 * One branch per task action and state the caller can have. `count`: (action, n) rows whose n add up to the
 * tasks, from the index alone where the case row keeps the number (corrective actions waiting for
 * verification). `page`: each task a row (case_id, action, action_id, due_at, created_at, rank,
 * action_created_at), the rank being the action's place in CASE_COMMANDS, which is the order tasksFor lists a
 * case's tasks in; each branch in task order cut at `limit` (a parenthesised query with its own LIMIT, its last
 * parameter), so that the page is a merge of short ordered reads (pageSql).
 */
export function taskRowsSql(
  actor: InboxActor,
  unitIds: readonly string[],
  mode: TaskQueryMode,
  options: { dialect?: Dialect; limit?: number } = {},
): Sql | null {
  const branches: string[] = [];
  const params: unknown[] = [];
  const sqlite = options.dialect === 'sqlite';
  // Officers' branches only: leaders' rules read columns (opener, assessors, reviewers) these indexes lack.
  // `counting`: the count; `listing`: the count and the page; `ordered`: the page, across many units.
  const counting: Hint = (index) => (sqlite && mode === 'count' ? ` INDEXED BY ${index}` : '');
  const listing: Hint = (index) => (sqlite ? ` INDEXED BY ${index}` : '');
  const ordered: Hint = (index) => (sqlite && mode === 'page' && unitIds.length >= ORDERED_WALK_UNITS ? ` INDEXED BY ${index}` : '');
  for (const action of TASK_ACTIONS) {
    const access = accessSql(action, actor, unitIds);
    if (!access) {
      continue;
    }
    const rank = CASE_COMMANDS.indexOf(action);
    for (const state of stateTerms(action)) {
      const kept = sqlite && mode === 'count' && readsOnlyUnitAndConflicts(action) ? keptCount(action, state, unitIds, actor.id) : null;
      if (kept) {
        branches.push(kept.sql);
        params.push(...kept.params);
        continue;
      }
      const sql = branch(action, rank, `${OPEN_CASE_TERM} AND ${state} AND ${access.sql}`, mode, { counting, listing, ordered });
      branches.push(mode === 'page' ? `SELECT * FROM (${sql} LIMIT ?) AS b${branches.length}` : sql);
      params.push(...access.params);
      if (mode === 'page') {
        params.push(options.limit ?? 0);
      }
    }
  }
  return branches.length === 0 ? null : { sql: branches.join('\nUNION ALL\n'), params };
}

/**
 * SQLite: how many assessments there are, from the counts SQLite keeps per unit and state (case_counts,
 * migration 1768700000000) minus the cases the caller may not assess — their own, and those of subjects they
 * declared a conflict with — which are few and sought by subject. The rule of an assessment reads nothing
 * else (accessSql: role, unit, subject, conflicts), so this is the same number as the branch's count, without
 * walking a province's ~36,000 entries at 1,000,000 cases; the spec checks it for every user. Null where the
 * state term also reads the outcome (case_counts has none).
 */
function keptCount(action: TaskAction, stateTerm: string, unitIds: readonly string[], actorId: string): Sql | null {
  const state = /^c\.state = '(\w+)'$/.exec(stateTerm)?.[1];
  if (!state || unitIds.length === 0) {
    return null;
  }
  const units = unitIds.map(() => '?').join(', ');
  return {
    sql: `SELECT '${action}' AS action,
        (SELECT COALESCE(SUM(k.cases), 0) FROM case_counts k WHERE k.state = '${state}' AND k.unit_id IN (${units}))
        - (SELECT COUNT(*) FROM cases c WHERE c.subject_id IN (SELECT ? UNION SELECT x.subject_id FROM conflicts x WHERE x.user_id = ?)
             AND c.state = '${state}' AND c.unit_id IN (${units})) AS n`,
    params: [...unitIds, actorId, actorId, ...unitIds],
  };
}

/** A case task without a time limit whose rule reads only role, unit, subject and conflicts (an assessment): keptCount applies. */
function readsOnlyUnitAndConflicts(action: TaskAction): boolean {
  const { task, independentOf, roles } = definitionOf(action);
  return task?.kind === 'case' && task.deadline === null && !independentOf?.length && roles.length === 1 && roles[0] !== 'cadre';
}

/** The SELECT of one action's tasks among the cases `where` keeps (`page`: with its ORDER BY, in task order). */
function branch(
  action: TaskAction,
  rank: number,
  where: string,
  mode: TaskQueryMode,
  hint: { counting: Hint; listing: Hint; ordered: Hint },
): string {
  const select = (actionId: string, due: string, actionCreated: string, n = '1') =>
    mode === 'count'
      ? `SELECT '${action}' AS action, ${n} AS n`
      : `SELECT c.id AS case_id, '${action}' AS action, ${actionId} AS action_id, ${due} AS due_at, c.created_at AS created_at, ${rank} AS rank, ${actionCreated} AS action_created_at`;
  // Tasks without a time limit: opening order. Spelled on the columns (not the aliases, nor NULLS LAST) so that
  // SQLite reads them in an index's order.
  const byAge = mode === 'page' ? ' ORDER BY c.created_at ASC, c.id ASC' : '';
  const rule: TaskRule = definitionOf(action).task!;
  switch (
    rule.kind === 'per-action' ? `per-action:${rule.status}` : rule.kind === 'case' && rule.deadline === null ? 'case:untimed' : rule.kind
  ) {
    case 'per-action:reported':
      // One task per reported action. cases.actions_reported (kept by triggers) skips the cases with nothing to
      // verify, and counts them without a join.
      if (mode === 'count') {
        return `${select('', '', '', 'c.actions_reported')} FROM cases c${hint.counting('idx_cases_open_counts')} WHERE ${where} AND c.actions_reported > 0`;
      }
      // The cases with something to verify (idx_cases_open_counts seeks them by actions_reported), each one's
      // reported actions from idx_actions_status_case; CROSS JOIN keeps that order of reading. Sorted whole: a
      // province officer's ~9,000 at 1,000,000 cases are read from the two indexes alone.
      return `${select('a.id', 'a.due_at', 'a.created_at')} FROM cases c${hint.listing('idx_cases_open_counts')} CROSS JOIN corrective_actions a
         WHERE c.actions_reported > 0 AND a.case_id = c.id AND a.status = 'reported' AND ${where}${
           mode === 'page' ? ' ORDER BY a.due_at ASC, c.created_at ASC, c.id ASC, a.created_at ASC, a.id ASC' : ''
         }`;
    case 'per-action:open':
      // One task per open action, for the subject: their own cases only, so the join stays small.
      return `${select('a.id', 'a.due_at', 'a.created_at')} FROM cases c CROSS JOIN corrective_actions a
         WHERE a.case_id = c.id AND a.status = 'open' AND ${where}${
           mode === 'page' ? ' ORDER BY a.due_at ASC, c.created_at ASC, c.id ASC, a.created_at ASC, a.id ASC' : ''
         }`;
    case 'until-first-action':
      // Setting actions is a task only until the first one exists (cases.action_count, kept by triggers). No
      // action means none reported: the redundant term lets the count seek (unit, actions_reported, action_count).
      // Few cases wait for their first action: sought (not walked in order) and sorted, also for the page.
      return `${select('NULL', 'NULL', 'NULL')} FROM cases c${hint.listing('idx_cases_open_counts')} WHERE ${where} AND c.action_count = 0 AND c.actions_reported = 0${byAge}`;
    case 'case:untimed':
      return `${select('NULL', 'NULL', 'NULL')} FROM cases c${hint.counting('idx_cases_open_counts')}${hint.ordered('idx_cases_open_age')} WHERE ${where}${byAge}`;
    default: {
      const kind = rule.kind === 'case' ? rule.deadline : null;
      const due =
        mode === 'count'
          ? 'NULL'
          : `(SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = c.id AND d.status = 'open' AND d.kind = '${kind}')`;
      // Each task's due time is sought, so these are sorted whole (the leader's ~41,000 at 1,000,000 cases).
      return `${select('NULL', due, 'NULL')} FROM cases c WHERE ${where}${mode === 'page' ? ` ${TASK_ORDER}` : ''}`;
    }
  }
}

/** Soonest due first, tasks without a time limit last; then as tasksFor over cases in opening order lists them. */
export const TASK_ORDER = 'ORDER BY due_at ASC NULLS LAST, created_at ASC, case_id ASC, rank ASC, action_created_at ASC, action_id ASC';

/** How many tasks of each action the caller has, from the `count` form of taskRowsSql. */
export function countsSql(counted: Sql): Sql {
  return { sql: `SELECT action, SUM(n) AS n FROM (${counted.sql}) AS tasks GROUP BY action`, params: counted.params };
}

/**
 * One page of the caller's tasks in TASK_ORDER, with each case's title, from the `page` form of taskRowsSql
 * built with limit = offset + limit: the page's rows are among each branch's first offset + limit, so the
 * final sort holds at most that many rows a branch, never all of the caller's tasks.
 */
export function pageSql(branches: Sql, limit: number, offset: number): Sql {
  const page = `SELECT case_id, action, action_id, due_at, created_at, rank, action_created_at FROM (${branches.sql}) AS tasks ${TASK_ORDER} LIMIT ? OFFSET ?`;
  return {
    sql: `SELECT p.case_id, p.action, p.action_id, p.due_at, c.title FROM (${page}) AS p JOIN cases c ON c.id = p.case_id
      ORDER BY p.due_at ASC NULLS LAST, p.created_at ASC, p.case_id ASC, p.rank ASC, p.action_created_at ASC, p.action_id ASC`,
    params: [...branches.params, limit, offset],
  };
}
