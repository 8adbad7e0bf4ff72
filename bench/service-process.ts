import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { freePort } from './free-port.js';

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The built service (`node <entry>`) as a child process, the way an operator runs it: its JSON log lines
 * are collected, and its exit can be awaited. Used by the shutdown benchmark and the shutdown e2e tests,
 * where only a real process shows what a signal does (jest's own process keeps any event loop alive).
 */
export class ServiceProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly exited: Promise<ServiceExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: URL,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ text: line });
        }
      });
    }
  }

  /** Starts `node [nodeArgs…] entry` with `env` over a clean environment and waits for `/health`. */
  static async start(nodeArgs: string[], env: Record<string, string>, cwd?: string): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, nodeArgs, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_FORMAT: 'json',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(child, new URL(`http://127.0.0.1:${port}`));
    await service.waitForHealth();
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** The log lines carrying this message (`msg`). */
  linesSaying(msg: string): Array<Record<string, unknown>> {
    return this.lines.filter((line) => line.msg === msg);
  }

  private async waitForHealth(): Promise<void> {
    let exit: ServiceExit | null = null;
    void this.exited.then((e) => (exit = e));
    for (let attempt = 0; attempt < 300; attempt++) {
      if (exit) {
        throw new Error(`the service exited before it was healthy (${JSON.stringify(exit)}): ${JSON.stringify(this.lines.slice(-5))}`);
      }
      try {
        const response = await fetch(new URL('/health', this.baseUrl));
        if (response.status === 200) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error('the service did not become healthy within 30 s');
  }
}
