import type { Logger } from '@nestjs/common';

/**
 * Background work on a timer (the deadline and evidence sweepers): never two runs at once, a failure logged
 * and tried again on the next tick rather than taking the service down, and a stop that waits for the run in
 * flight — otherwise closing the app could close the database under a sweep that was still firing, which then
 * failed after shutdown (seen in the e2e tests on PostgreSQL).
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly failureMessage: string,
    private readonly work: () => Promise<void>,
    /** told how each run ended (the sweepers count their runs in the metrics) */
    private readonly report: (result: 'ok' | 'failed') => void = () => undefined,
  ) {}

  /** Runs every `intervalMs`; the timer never keeps a finished process alive. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** One run now, or the run already in flight (the rows it has not reached wait for the next tick). */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.work();
        this.report('ok');
      } catch (error) {
        this.report('failed');
        this.logger.error({ err: error }, this.failureMessage);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** No further runs; resolves once the run in flight, if any, has finished. */
  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running;
  }
}
