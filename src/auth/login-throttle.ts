import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Counts *failed* logins per username in a sliding window (default 5 per 15 minutes); past the limit
 * that username gets 429 until the oldest failure leaves the window. Successful logins are never counted.
 * In-memory: per instance, reset by a restart (a shared store is needed once several instances run).
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Milliseconds until the username may try again, or 0 when it may try now. */
  retryAfterMs(username: string): number {
    const recent = this.recent(username);
    if (recent.length < this.config.LOGIN_MAX_FAILURES) {
      return 0;
    }
    return recent[recent.length - this.config.LOGIN_MAX_FAILURES] + this.config.LOGIN_WINDOW_MS - this.clock.now().getTime();
  }

  recordFailure(username: string): void {
    this.failures.set(username, [...this.recent(username), this.clock.now().getTime()]);
  }

  clear(username: string): void {
    this.failures.delete(username);
  }

  private recent(username: string): number[] {
    const since = this.clock.now().getTime() - this.config.LOGIN_WINDOW_MS;
    const kept = (this.failures.get(username) ?? []).filter((at) => at > since);
    if (kept.length === 0) {
      this.failures.delete(username);
    }
    return kept;
  }
}
