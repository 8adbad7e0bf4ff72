import { createHash, timingSafeEqual } from 'node:crypto';

import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AuthGuard } from '../auth/auth.guard.js';
import { AppConfig } from '../config/app-config.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics admits a scraper's METRICS_TOKEN (when configured) or a signed-in admin; nobody else. The
 * route is exempt from the global guard, which would refuse a token that is not a login token.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly token: Buffer | null;

  constructor(
    @Inject(AuthGuard) private readonly auth: AuthGuard,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.token = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const [scheme, offered] = header.split(' ');
    // Compared as digests, in constant time: the comparison tells nothing of how much of a guess was right.
    if (this.token && scheme?.toLowerCase() === 'bearer' && offered && timingSafeEqual(digest(offered), this.token)) {
      return true;
    }
    await this.auth.authorize(context, ['admin']);
    return true;
  }
}
