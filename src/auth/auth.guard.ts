import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';

import { DomainError } from '../common/domain-error.js';
import type { Role } from '../workflow/case-types.js';
import { type AccountState, AccountStates } from './account-states.js';
import { ALLOWED_BEFORE_PASSWORD_CHANGE, type AuthUser, IS_PUBLIC, REQUIRED_ROLES } from './auth-user.js';

export interface TokenClaims {
  sub: string;
  username: string;
  roles: Role[];
  unitId: string;
  /** the account's token generation when the token was issued; tokens from before issue 16 have none (0) */
  gen?: number;
  /** the token's own id, for a logout that ends this token only; tokens from before issue 16 have none */
  jti?: string;
  exp: number;
}

/** Bounds the verified-token memo; when full it starts over (tokens live hours, users send many requests each). */
const VERIFIED_TOKENS_MAX = 10_000;

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((role) => b.includes(role));

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); the account behind it must
 * still exist, be enabled, hold the token's roles and unit, and not have revoked it; @Roles() narrows it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Tokens whose signature was already checked, with their expiry: a signed token's claims cannot change,
   * so checking the HMAC and parsing it again on every request of a session buys nothing. Expiry is still
   * checked on every use, and the account on every request (AccountStates, remembered briefly).
   */
  private readonly verified = new Map<string, { claims: TokenClaims; user: AuthUser; expiresAtMs: number }>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AccountStates) private readonly accounts: AccountStates,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    await this.authorize(context, this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets));
    return true;
  }

  /**
   * The checks of a signed-in route: a valid token whose account still speaks for it, and one of `required`
   * roles when given. Sets `request.user`. Also for a route that admits another credential first (/metrics).
   */
  async authorize(context: ExecutionContext, required: Role[] | undefined): Promise<void> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const { claims, user } = await this.authenticate(request.headers.authorization);
    const account = await this.accounts.get(user.id);
    const revoked = revocation(claims, account);
    if (revoked) {
      throw new DomainError('UNAUTHENTICATED', `authorization: ${revoked}; log in again`);
    }
    if (account?.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_PASSWORD_CHANGE, targets)) {
      throw DomainError.forbidden('your password was reset: change it first (POST /me/password)', 'PASSWORD_CHANGE_REQUIRED');
    }
    request.user = user;
    if (required && !required.some((role) => user.roles.includes(role))) {
      throw DomainError.forbidden(`requires the ${required.join(' or ')} role`, 'ROLE');
    }
  }

  private async authenticate(header: string | undefined): Promise<{ claims: TokenClaims; user: AuthUser }> {
    const [scheme, token] = (header ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError('UNAUTHENTICATED', 'authorization: a bearer token is required');
    }
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) {
      return known;
    }
    this.verified.delete(token);
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'authorization: the token is invalid or expired');
    }
    const user: AuthUser = {
      id: claims.sub,
      username: claims.username,
      roles: claims.roles,
      unitId: claims.unitId,
      token: { id: claims.jti, expiresAtMs: claims.exp * 1000 },
    };
    if (this.verified.size >= VERIFIED_TOKENS_MAX) {
      this.verified.clear();
    }
    const entry = { claims, user, expiresAtMs: claims.exp * 1000 };
    this.verified.set(token, entry);
    return entry;
  }
}

/** Why a validly signed token no longer speaks for its account, or null while it does. */
function revocation(claims: TokenClaims, account: AccountState | null): string | null {
  if (!account) {
    return 'the account no longer exists';
  }
  if (account.disabled) {
    return 'the account is disabled';
  }
  if (claims.jti !== undefined && account.revokedTokenIds.has(claims.jti)) {
    return 'the token was revoked (logout)';
  }
  if ((claims.gen ?? 0) !== account.tokenGeneration) {
    return 'the token was revoked (logout, password change or an administrator’s change)';
  }
  if (!sameRoles(claims.roles, account.roles) || claims.unitId !== account.unitId) {
    return 'the account’s roles or unit changed';
  }
  return null;
}
