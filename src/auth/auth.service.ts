import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AccountsRepository } from '../repositories/accounts.repository.js';
import { RevokedTokensRepository } from '../repositories/revoked-tokens.repository.js';
import { UserEntity } from '../users/user.entity.js';
import { toUserView, type UserView } from '../users/user-view.js';
import { AccountStates } from './account-states.js';
import type { AuthUser } from './auth-user.js';
import { LoginThrottle } from './login-throttle.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password-hasher.js';
import { passwordProblem } from './password-rules.js';

export interface LoginResult {
  accessToken: string;
  user: Pick<UserView, 'id' | 'username' | 'roles' | 'unitId' | 'mustChangePassword'> & { displayName: string };
}

/** directory.service.ts (users/) imports these two from here; they are AccountsRepository's. */
export const findByUsername: typeof AccountsRepository.findByUsername = (manager, username) =>
  AccountsRepository.findByUsername(manager, username);
export const revokeTokens: typeof AccountsRepository.raiseTokenGeneration = (manager, userId) =>
  AccountsRepository.raiseTokenGeneration(manager, userId);

@Injectable()
export class AuthService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(AccountStates) private readonly accounts: AccountStates,
  ) {}

  login(username: string, password: string, address: string): Promise<LoginResult> {
    return this.throttle.exclusive(username, address, async () => {
      await this.throttle.check(username, address);
      const user = await this.uow.run((manager) => AccountsRepository.findByUsername(manager, username));
      // Verify even for unknown users so timing does not reveal which usernames exist.
      const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!user || !valid) {
        await this.throttle.recordFailure(username, address);
        throw new DomainError('UNAUTHENTICATED', 'username or password is wrong');
      }
      await this.throttle.succeeded(username, address);
      if (user.disabled) {
        throw new DomainError('UNAUTHENTICATED', 'this account is disabled');
      }
      return this.issue(user);
    });
  }

  /**
   * The caller's own password: the current one must be right (limited like a login, so a stolen token
   * cannot be used to guess it), the new one must pass the password rules. Every older token of the
   * account stops working; the answer carries a new one.
   */
  changePassword(actor: AuthUser, currentPassword: string, newPassword: string, address: string): Promise<LoginResult> {
    return this.throttle.exclusive(actor.username, address, async () => {
      await this.throttle.check(actor.username, address);
      const user = await this.uow.run((manager) => AccountsRepository.findById(manager, actor.id));
      if (!user) {
        throw new DomainError('UNAUTHENTICATED', 'authorization: the account no longer exists');
      }
      if (!(await verifyPassword(user.passwordHash, currentPassword))) {
        await this.throttle.recordFailure(actor.username, address);
        throw DomainError.ruleViolation([{ field: 'currentPassword', message: 'is not your current password' }]);
      }
      const problem =
        newPassword === currentPassword
          ? 'must differ from the current password'
          : passwordProblem(newPassword, user.username, [user.displayName]);
      if (problem) {
        throw DomainError.ruleViolation([{ field: 'newPassword', message: problem }]);
      }
      const passwordHash = await hashPassword(newPassword);
      const changed = await this.uow.run(async (manager) => {
        await AccountsRepository.replacePassword(manager, user.id, passwordHash);
        await AccountsRepository.raiseTokenGeneration(manager, user.id);
        return AccountsRepository.getById(manager, user.id);
      });
      this.accounts.forget(user.id);
      return this.issue(changed);
    });
  }

  /**
   * Ends the token the request came with: its id is kept until the token would have expired anyway, and
   * the guard refuses it (auth/account-states.ts). The account's other sessions go on. A token from before
   * issue 16 has no id: then every token of the account ends (its generation is raised).
   */
  async logout(actor: AuthUser): Promise<void> {
    const token = actor.token;
    await this.uow.run(async (manager) => {
      if (!token?.id) {
        await AccountsRepository.raiseTokenGeneration(manager, actor.id);
        return;
      }
      const now = new Date().toISOString();
      await RevokedTokensRepository.deleteExpired(manager, actor.id, now);
      await RevokedTokensRepository.add(manager, { jti: token.id, userId: actor.id, expiresAt: new Date(token.expiresAtMs).toISOString() });
    });
    this.accounts.forget(actor.id);
  }

  private async issue(user: UserEntity): Promise<LoginResult> {
    const accessToken = await this.jwt.signAsync({
      sub: user.id,
      username: user.username,
      roles: user.roles,
      unitId: user.unitId,
      gen: user.tokenGeneration,
      jti: randomUUID(),
    });
    const view = toUserView(user);
    return {
      accessToken,
      user: {
        id: view.id,
        username: view.username,
        roles: view.roles,
        unitId: view.unitId,
        displayName: view.displayName,
        mustChangePassword: view.mustChangePassword,
      },
    };
  }
}
