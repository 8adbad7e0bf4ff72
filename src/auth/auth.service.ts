import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { UserEntity } from '../users/user.entity.js';
import { toUserView, type UserView } from '../users/user-view.js';
import { LoginThrottle } from './login-throttle.js';
import { dummyPasswordHash, verifyPassword } from './password-hasher.js';

export interface LoginResult {
  accessToken: string;
  user: Pick<UserView, 'id' | 'username' | 'roles' | 'unitId'> & { displayName: string };
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  login(username: string, password: string): Promise<LoginResult> {
    return this.throttle.exclusive(username, () => this.attempt(username, password));
  }

  private async attempt(username: string, password: string): Promise<LoginResult> {
    const waitMs = this.throttle.retryAfterMs(username);
    if (waitMs > 0) {
      throw new DomainError('TOO_MANY_REQUESTS', `too many failed logins for this username; retry in ${Math.ceil(waitMs / 1000)} s`);
    }
    const user = await this.uow.run((manager) => manager.findOne(UserEntity, { where: { username } }));
    // Verify even for unknown users so timing does not reveal which usernames exist.
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !valid) {
      this.throttle.recordFailure(username);
      throw new DomainError('UNAUTHENTICATED', 'username or password is wrong');
    }
    this.throttle.clear(username);
    const accessToken = await this.jwt.signAsync({
      sub: user.id,
      username: user.username,
      roles: user.roles,
      unitId: user.unitId,
    });
    const view = toUserView(user);
    return {
      accessToken,
      user: { id: view.id, username: view.username, roles: view.roles, unitId: view.unitId, displayName: view.displayName },
    };
  }
}
