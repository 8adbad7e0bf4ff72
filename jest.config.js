// Native ESM jest (NestJS 12 is ESM-only): run with NODE_OPTIONS=--experimental-vm-modules.
//
// Two projects: everything on the embedded SQLite (unit specs, the medium tier of test/medium/, e2e), and the
// e2e and medium suites again on PostgreSQL plus the multi-instance tests (test/postgres/). The PostgreSQL part needs a server where it may create
// databases: TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres). Without one it is
// left out with a message saying so — unless REQUIRE_POSTGRES=1 (CI sets it), which makes that an error.
import process from 'node:process';

import pg from 'pg';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REQUIRED = process.env.REQUIRE_POSTGRES === '1';

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
};

async function postgresProblem() {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.constructor.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const projects = [
  {
    ...shared,
    displayName: 'sqlite',
    testMatch: [
      '<rootDir>/src/**/*.spec.ts',
      '<rootDir>/scripts/**/*.spec.ts',
      '<rootDir>/bench/**/*.spec.ts',
      '<rootDir>/test/*.e2e-spec.ts',
      '<rootDir>/test/medium/*.medium-spec.ts',
    ],
  },
];

const problem = await postgresProblem();
if (problem === null) {
  process.env.TEST_POSTGRES_URL = POSTGRES_URL;
  projects.push({
    ...shared,
    displayName: 'postgres',
    testMatch: ['<rootDir>/test/*.e2e-spec.ts', '<rootDir>/test/postgres/*.e2e-spec.ts', '<rootDir>/test/medium/*.medium-spec.ts'],
    // The unit of work's queue, batches and savepoints exist on SQLite only.
    testPathIgnorePatterns: ['/node_modules/', '/test/medium/unit-of-work\\.medium-spec\\.ts$'],
    setupFiles: ['<rootDir>/test/support/use-postgres.cjs'],
  });
} else if (REQUIRED) {
  throw new Error(`REQUIRE_POSTGRES=1 but no PostgreSQL server is reachable at ${POSTGRES_URL}: ${problem}`);
} else {
  process.stderr.write(
    `\n*** PostgreSQL part SKIPPED: no server reachable at ${POSTGRES_URL} (${problem}).\n` +
      '*** Only SQLite was tested. Set TEST_POSTGRES_URL to a server where databases may be created (see docs/operations.md).\n\n',
  );
}

/** @type {import('jest').Config} */
export default {
  projects,
  testTimeout: 30000,
  // Two worker processes, each replaced once it holds more than this between test files. In one process
  // (jest's choice on a 2-core machine) the native-ESM module registries of ~110 test files, each loading the
  // app with its password dictionaries and reader threads, added up past V8's 4 GB heap: the run aborted.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
