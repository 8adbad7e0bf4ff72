import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';

import type { Role } from '../workflow/case-types.js';

/** The caller, as read from a verified bearer token. */
export interface AuthUser {
  id: string;
  username: string;
  roles: Role[];
  unitId: string;
  /** the token the request came with (its `jti`, absent from tokens issued before issue 16), for logout */
  token?: { id?: string; expiresAtMs: number };
}

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';
export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'auth:before-password-change';

/**
 * OpenAPI `security: []` on the operation: a generated client sends no token. Merged into the operation's
 * metadata (ApiOperation would reset a summary set before it).
 */
const noSecurity: MethodDecorator = (_target, _key, descriptor) => {
  const previous = Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) as object | undefined;
  Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...previous, security: [] }, descriptor.value as object);
  return descriptor;
};

/** Route needs no token (health, login, docs). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), noSecurity);

/** Route stays open to an account whose password an admin reset (changing it, logging out). */
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);

/** Caller must hold at least one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const request = context.switchToHttp().getRequest<{ user: AuthUser }>();
  return request.user;
});
