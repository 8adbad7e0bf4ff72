/**
 * Adds a demo unit tree and one user per role so a person can try the API by hand (README walkthrough).
 * Builds the real application (configuration, migrations, admin bootstrap) without listening, writes
 * through DirectoryService, and is idempotent: existing units and usernames are kept as they are.
 *
 *   npm run seed:demo                     # ./data/case-review.sqlite
 *   DATABASE_PATH=/tmp/x.sqlite npm run seed:demo
 *
 * The passwords are public (they are printed and documented): never seed a production database.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ConfigError, loadConfig, readEnvironment } from '../src/config/app-config.js';
import { createApp } from '../src/configure-app.js';
import { DirectoryService } from '../src/users/directory.service.js';
import type { UnitEntity } from '../src/users/unit.entity.js';
import type { Role } from '../src/workflow/case-types.js';
import { runScript } from './run-script.js';

interface DemoUnit {
  key: string;
  name: string;
  parent: string | null;
}

interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  roles: Role[];
  unit: string;
}

/** Children of the root unit the admin bootstrap created. */
const UNITS: DemoUnit[] = [
  { key: 'county', name: 'Demo County', parent: null },
  { key: 'townshipA', name: 'Township A', parent: 'county' },
  { key: 'townshipB', name: 'Township B', parent: 'county' },
];

/** Officers and leaders sit at the county so they see both townships; the cadre works in Township A. */
const DEMO_USERS: DemoUser[] = [
  { username: 'officer', password: 'officer-demo-pass', displayName: 'Demo officer (纪检监察干部)', roles: ['officer'], unit: 'county' },
  { username: 'officer2', password: 'officer2-demo-pass', displayName: 'Second demo officer', roles: ['officer'], unit: 'county' },
  { username: 'cadre', password: 'cadre-demo-pass', displayName: 'Demo cadre (基层干部)', roles: ['cadre'], unit: 'townshipA' },
  { username: 'leader', password: 'leader-demo-pass', displayName: 'Demo leader (党委)', roles: ['leader'], unit: 'county' },
  { username: 'leader2', password: 'leader2-demo-pass', displayName: 'Second demo leader', roles: ['leader'], unit: 'county' },
];

async function seedUnits(directory: DirectoryService): Promise<Map<string, UnitEntity>> {
  const existing = await directory.listUnits();
  const root = existing.find((unit) => unit.parentId === null);
  if (!root) {
    throw new Error('no root unit: the admin bootstrap did not run');
  }
  const byKey = new Map<string, UnitEntity>();
  for (const demo of UNITS) {
    const parent = demo.parent === null ? root : byKey.get(demo.parent)!;
    const found = existing.find((unit) => unit.parentId === parent.id && unit.name === demo.name);
    byKey.set(demo.key, found ?? (await directory.createUnit(demo.name, parent.id)));
  }
  return byKey;
}

async function seed(app: NestFastifyApplication): Promise<void> {
  const directory = app.get(DirectoryService);
  const units = await seedUnits(directory);
  const taken = new Set((await directory.listUsers()).map((user) => user.username));

  const rows: string[] = [];
  for (const demo of DEMO_USERS) {
    const unit = units.get(demo.unit)!;
    let status = 'exists, left unchanged';
    if (!taken.has(demo.username)) {
      // The demo passwords contain their usernames, which the password rules refuse everywhere else:
      // they are public (README), so a demo database is never one to protect.
      await directory.createUser(
        { username: demo.username, password: demo.password, displayName: demo.displayName, roles: demo.roles, unitId: unit.id },
        { passwordRules: false },
      );
      status = 'created';
    }
    rows.push(
      `  ${demo.username.padEnd(10)} ${demo.password.padEnd(20)} ${demo.roles.join(',').padEnd(8)} ${unit.name.padEnd(12)} ${status}`,
    );
  }
  process.stdout.write(
    `\nDemo units: ${UNITS.map((u) => u.name).join(', ')} (under the root unit)\n\n` +
      `  ${'username'.padEnd(10)} ${'password'.padEnd(20)} ${'roles'.padEnd(8)} ${'unit'.padEnd(12)} status\n` +
      `${rows.join('\n')}\n\n` +
      'The admin account comes from ADMIN_USERNAME / ADMIN_PASSWORD (or the password printed when the database was created).\n',
  );
}

async function main(): Promise<void> {
  // Quiet the request/JSON logs unless asked for: the output of this script is the table above.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...readEnvironment() });
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('seed:demo refuses to run with NODE_ENV=production: the demo passwords are public');
  }
  const app = await createApp(config);
  try {
    await seed(app);
    process.stdout.write(`Database: ${config.DATABASE_PATH}\n`);
  } finally {
    await app.close();
  }
}

runScript('seed:demo', main);
