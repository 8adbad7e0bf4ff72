import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { loadConfig, readEnvironment } from './app-config.js';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_PATH).toBe('./data/case-review.sqlite');
  });

  it('reads every setting, those without a default too (they are own keys of AppConfig)', () => {
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), EVIDENCE_DIR: '/srv/evidence', TRUST_PROXY: '1', METRICS_TOKEN: 'm'.repeat(32), UNRELATED: 'ignored' });
    expect(config).toMatchObject({ JWT_SECRET: 'x'.repeat(32), EVIDENCE_DIR: '/srv/evidence', TRUST_PROXY: '1', METRICS_TOKEN: 'm'.repeat(32) });
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });
});

describe('JWT_EXPIRES_IN', () => {
  it.each(['8h', '30m', '1d', '2 days', '90s', '30d'])('accepts %s', (value) => {
    expect(loadConfig({ JWT_EXPIRES_IN: value }).JWT_EXPIRES_IN).toBe(value);
  });

  // "forever" passed the old check and then made every login a 500; "3600" would be 3.6 s to the JWT library.
  it.each(['forever', '3600', '0h', '59s', '31d', '-1h', '1y', '8 hours please'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ JWT_EXPIRES_IN: value })).toThrow(/JWT_EXPIRES_IN: JWT_EXPIRES_IN must be a duration with a unit/);
  });
});

describe('readEnvironment', () => {
  const folder = mkdtempSync(join(tmpdir(), 'case-review-env-'));
  const file = join(folder, 'service.env');
  writeFileSync(file, '# local settings\nPORT=4100\nLOG_LEVEL="warn"\nexport HOST=127.0.0.1\n');

  it('reads the file ENV_FILE names, with what the environment sets winning', () => {
    const env = readEnvironment({ ENV_FILE: file, PORT: '4200' });
    expect(env).toMatchObject({ PORT: '4200', LOG_LEVEL: 'warn', HOST: '127.0.0.1' });
    expect(loadConfig(env)).toMatchObject({ PORT: 4200, LOG_LEVEL: 'warn', HOST: '127.0.0.1' });
  });

  it('refuses an ENV_FILE that does not exist, and does without a .env that does not', () => {
    expect(() => readEnvironment({ ENV_FILE: join(folder, 'missing.env') })).toThrow(/ENV_FILE: .*missing\.env does not exist/);
    expect(readEnvironment({ PORT: '1' }, folder)).toEqual({ PORT: '1' });
    writeFileSync(join(folder, '.env'), 'PORT=5\nHOST=::1\n');
    expect(readEnvironment({ PORT: '1' }, folder)).toEqual({ PORT: '1', HOST: '::1' });
  });
});

describe('SHUTDOWN_DRAIN_MS', () => {
  it('defaults to 10 s and accepts milliseconds between 100 and 600000', () => {
    expect(loadConfig({}).SHUTDOWN_DRAIN_MS).toBe(10000);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '250' }).SHUTDOWN_DRAIN_MS).toBe(250);
  });

  it.each(['0', '99', '600001', '10s', '-5'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: value })).toThrow(/SHUTDOWN_DRAIN_MS: .*SHUTDOWN_DRAIN_MS/);
  });
});
