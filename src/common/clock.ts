/**
 * The one source of time. Injected everywhere a timestamp or a deadline is computed so tests can move
 * time instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock the tests set and advance by hand. */
export class ManualClock extends Clock {
  constructor(private current: Date = new Date('2026-01-05T09:00:00.000Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
