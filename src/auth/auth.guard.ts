import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import type { Role } from '../workflow/case-types.js';
import { type AuthUser, IS_PUBLIC, REQUIRED_ROLES } from './auth-user.js';

interface TokenClaims {
  sub: string;
  username: string;
  roles: Role[];
  unitId: string;
  exp: number;
}

/** Bounds the verified-token memo; when full it starts over (tokens live hours, users send many requests each). */
const VERIFIED_TOKENS_MAX = 10_000;

/** Global guard: every route needs a valid bearer token unless marked @Public(); @Roles() narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Tokens whose signature was already checked, with their expiry: a signed token's claims cannot change,
   * so checking the HMAC and parsing it again on every request of a session buys nothing. Expiry is still
   * checked on every use.
   */
  private readonly verified = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = await this.authenticate(request.headers.authorization);
    request.user = user;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => user.roles.includes(role))) {
      throw DomainError.forbidden(`requires the ${required.join(' or ')} role`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<AuthUser> {
    const [scheme, token] = (header ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError('UNAUTHENTICATED', 'authorization: a bearer token is required');
    }
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) {
      return known.user;
    }
    this.verified.delete(token);
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'authorization: the token is invalid or expired');
    }
    const user: AuthUser = { id: claims.sub, username: claims.username, roles: claims.roles, unitId: claims.unitId };
    if (this.verified.size >= VERIFIED_TOKENS_MAX) {
      this.verified.clear();
    }
    this.verified.set(token, { user, expiresAtMs: claims.exp * 1000 });
    return user;
  }
}
