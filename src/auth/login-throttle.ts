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
  private readonly attempts = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Runs one login attempt for `username` at a time. Without this, parallel guesses all pass the check
   * before the first failure is recorded (password verification is async) and the limit does not hold.
   */
  exclusive<T>(username: string, attempt: () => Promise<T>): Promise<T> {
    const result = (this.attempts.get(username) ?? Promise.resolve()).then(attempt);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.attempts.set(username, settled);
    void settled.then(() => {
      if (this.attempts.get(username) === settled) {
        this.attempts.delete(username);
      }
    });
    return result;
  }

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
