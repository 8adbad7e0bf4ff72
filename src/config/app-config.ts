import 'reflect-metadata';

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf,validateSync } from 'class-validator';

import { tokenLifetimeSeconds } from '../auth/token-lifetime.js';
import type { LogFormat } from '../common/logging.js';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Environment variables, validated at boot (brocoders-style: one class, one validator). A bad value
 * stops start-up with a message naming the variable.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsString()
  @MinLength(1)
  DATABASE_PATH = './data/case-review.sqlite';

  /**
   * PostgreSQL instead of the embedded SQLite file, for several instances on one database. The same
   * migrations run there; DATABASE_PATH then only names the data folder (evidence files).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Connections each instance keeps open to PostgreSQL. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Where evidence files live; several instances must share it. Default: `evidence/` beside DATABASE_PATH. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  EVIDENCE_DIR?: string;

  @IsString()
  @MinLength(1)
  POLICY_DIR = './config/policies';

  @IsString()
  @MinLength(1)
  DEFAULT_POLICY = 'default';

  /** Required in production so tokens survive restarts and instances agree; generated otherwise. */
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.JWT_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (required when NODE_ENV=production)' })
  JWT_SECRET?: string;

  /** How long a login token lives: a number and a unit ("8h", "30m", "1d"), between 1 minute and 30 days. */
  @ValidateBy({
    name: 'tokenLifetime',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && tokenLifetimeSeconds(value) !== null,
      defaultMessage: () => 'JWT_EXPIRES_IN must be a duration with a unit between 1m and 30d, e.g. 8h, 30m or 1d',
    },
  })
  JWT_EXPIRES_IN = '8h';

  @IsString()
  @MinLength(1)
  ADMIN_USERNAME = 'admin';

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `auto`: readable lines on a terminal, JSON lines otherwise; `json` or `pretty` to choose (common/logging.ts). */
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: LogFormat = 'auto';

  /** Failed logins for one username from one client address before each further attempt is delayed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  /** Failed logins from one client address, whatever the username, before delays start (password spraying). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 50;

  /** A counter starts over after this long without a failure; also the longest delay (auth/login-throttle.ts). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  LOGIN_WINDOW_MS = 15 * 60 * 1000;

  /**
   * Evidence limits (issue 16). Configuration rather than policy: they guard the service's disk and
   * time, not a jurisdiction's rules, must hold for every case at once (a policy is pinned per case and
   * frozen once pinned), and bound a person across all their cases, which no case's policy can.
   * Per case, each uploader's files are counted apart, so a subject filling their share never keeps the
   * officers from adding their findings.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVIDENCE_MAX_FILES_PER_CASE = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVIDENCE_MAX_BYTES_PER_CASE = 200 * 1024 * 1024;

  /** Files one person may add in any 60 minutes, all cases together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVIDENCE_MAX_FILES_PER_HOUR = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVIDENCE_MAX_BYTES_PER_HOUR = 200 * 1024 * 1024;

  /** How often stored evidence files that no row names (and older than an hour) are removed. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  EVIDENCE_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

  /**
   * Which proxies may name the client in X-Forwarded-For: a number of hops, or their addresses / CIDR
   * ranges, comma-separated. Unset, the address is the TCP peer and the header is ignored, so nobody can
   * choose their own address for the login limits. `true` (trust anyone) is refused for the same reason.
   */
  @IsOptional()
  @Matches(/^(\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message: 'TRUST_PROXY must be a hop count or comma-separated proxy addresses / CIDR ranges',
  })
  TRUST_PROXY?: string;

  /**
   * How long an instance trusts what it read of an account (exists, enabled, roles, unit, token
   * generation) before reading it again. Changes made through the same instance apply at once; another
   * instance's, or a change by hand in the database, within this time. 0 reads the account on every request.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  ACCOUNT_CACHE_MS = 1000;

  /** How often due deadlines are fired. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SWEEP_INTERVAL_MS = 30000;

  /**
   * The most wall-clock time one long read (a list's count and page, the summary, one chunk of the CSV
   * export) may take, queueing included; past it the read is stopped and the request answered 503.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  READ_BUDGET_MS = 10000;

  /** Long reads run at once (SQLite: reader threads, each with its own connection); more wait their turn. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  READ_WORKERS = 2;

  /**
   * The official holiday and make-up working day calendar (deadlines/holiday-calendar-file.ts), read and checked
   * at start-up. Relative paths are from the working folder, like POLICY_DIR.
   */
  @IsString()
  @MinLength(1)
  HOLIDAY_CALENDAR = './config/calendar/cn-official.json';

  /**
   * A bearer token that may read GET /metrics (a Prometheus scraper's `authorization.credentials`), besides
   * admins. Unset, only admins may. At least 32 characters: it guards a view of the whole service's activity.
   */
  @IsOptional()
  @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters' })
  METRICS_TOKEN?: string;

  /**
   * On SIGTERM / SIGINT, how long requests already received may take to be answered (common/graceful-shutdown.ts);
   * past it what remains is cut and the process exits 1. A service manager's stop timeout must exceed it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_DRAIN_MS = 10000;
}

export class ConfigError extends Error {}

/**
 * The names of the settings: every field of AppConfig is an own key of a fresh instance, those without a default
 * too (ES2022 class fields define them, as `undefined`; app-config.spec.ts holds that).
 */
const SETTINGS = Object.keys(new AppConfig());

/**
 * The process environment over a `.env` file's values (`ENV_FILE`, default `.env` in the working folder, read
 * when it exists): a variable set in the shell or by a service manager wins, as with dotenv and docker compose.
 * Node's own parser (node:util parseEnv) reads the file: `KEY=value` lines, `#` comments, quotes, `export`.
 */
export function readEnvironment(
  env: Record<string, string | undefined> = process.env,
  folder = process.cwd(),
): Record<string, string | undefined> {
  const file = resolve(folder, env.ENV_FILE || '.env');
  if (!existsSync(file)) {
    if (env.ENV_FILE) {
      throw new ConfigError(`ENV_FILE: ${file} does not exist`);
    }
    return env;
  }
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): AppConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([key, value]) => SETTINGS.includes(key) && value !== ''));
  const config = plainToInstance(AppConfig, relevant, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
