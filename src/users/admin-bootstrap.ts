import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { passwordProblem } from '../auth/password-rules.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files.js';
import { AppConfig, ConfigError } from '../config/app-config.js';
import { withStartupLock } from '../database/open-database.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { DirectoryService } from './directory.service.js';
import { rolesProblem } from './role-rules.js';

/**
 * On an empty database, creates the root unit and the first admin from ADMIN_USERNAME / ADMIN_PASSWORD.
 * Without a password it generates a strong one and shows it once (on the terminal, or in an owner-only file
 * beside the database when standard output is not a terminal); the database keeps only its hash.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(DirectoryService) private readonly directory: DirectoryService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Under the start-up lock: two instances starting together on an empty PostgreSQL create one admin. */
  async onApplicationBootstrap(): Promise<void> {
    await withStartupLock(this.dataSource, () => this.createFirstAdmin());
    await this.warnOfMixedAdmins();
  }

  /**
   * Accounts made before admin and case roles were kept apart (issue 16). No migration can tell which
   * role such a person should keep, so they stay as they are: their case commands act only within their
   * unit (workflow/case-access.ts), and this names them until an admin splits them (PATCH /users/:id).
   */
  private async warnOfMixedAdmins(): Promise<void> {
    const admins = await this.uow.read((manager) => UsersRepository.admins(manager));
    const mixed = admins.filter((row) => rolesProblem(row.roles)).map((row) => row.username);
    if (mixed.length > 0) {
      this.logger.warn(
        `${mixed.length} account(s) combine admin with case roles: ${mixed.slice(0, 20).join(', ')}. ` +
          'Their case commands act only within their own unit; give each person separate accounts (PATCH /users/:id).',
      );
    }
  }

  private async createFirstAdmin(): Promise<void> {
    const hasUsers = await this.uow.run((manager) => UsersRepository.any(manager));
    if (hasUsers) {
      return;
    }
    const password = this.config.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
    // The password rules hold for the first admin too; said before anything is created, naming the variable.
    const weak = passwordProblem(password, this.config.ADMIN_USERNAME, ['Administrator']);
    if (weak) {
      throw new ConfigError(`Invalid configuration:\n  ADMIN_PASSWORD: ${weak}`);
    }
    const root = await this.directory.createUnit('Root unit', null);
    await this.directory.createUser({
      username: this.config.ADMIN_USERNAME,
      password,
      displayName: 'Administrator',
      roles: ['admin'],
      unitId: root.id,
    });
    if (this.config.ADMIN_PASSWORD) {
      this.logger.log(`created admin "${this.config.ADMIN_USERNAME}" with the password from ADMIN_PASSWORD`);
    } else if (process.stdout.isTTY) {
      // Someone is watching the terminal: shown once, outside the log lines, so it is easy to find.
      process.stdout.write(
        `\nCreated admin "${this.config.ADMIN_USERNAME}" with generated password: ${password}\n` +
          'It is shown only this once; set ADMIN_PASSWORD to choose it yourself.\n\n',
      );
    } else {
      // Standard output is a log collector: the password must not travel with the log lines, and every line
      // there is JSON. It goes to an owner-only file beside the database instead (as Jenkins does).
      const file = join(dirname(resolve(this.config.DATABASE_PATH)), 'initial-admin-password');
      makePrivateDir(dirname(file));
      writeFileSync(file, `${password}\n`, { mode: PRIVATE_FILE_MODE });
      this.logger.warn({
        msg: `created admin "${this.config.ADMIN_USERNAME}" with a generated password, written to ${file}: log in, change it, delete the file`,
        file,
      });
    }
  }
}
