import { ConfigError } from '../src/config/app-config.js';
import { PolicyValidationError } from '../src/workflow/policy/policy-schema.js';

/**
 * Runs a script's main function so that it can only end in one of two ways: it finished (exit code 0), or it
 * says why it did not (a message, exit code 1).
 *
 * Why the guard on 'exit': Node exits with code 0 as soon as nothing holds the event loop, even while a
 * promise is still being awaited. That is how seed:bulk once stopped after its template cases, code 0 and
 * no clones written: closing its in-process app awaited a worker that did not hold the loop. Whatever else
 * makes a script's await hang on an unreferenced handle, this turns it into a loud failure.
 */
export function runScript(name: string, main: () => Promise<void>): void {
  let settled = false;
  process.on('exit', (code) => {
    if (!settled && code === 0) {
      process.stderr.write(
        `${name}: stopped before it finished (the event loop emptied while it was still working); nothing after the last message was done\n`,
      );
      process.exitCode = 1;
    }
  });
  main().then(
    () => {
      settled = true;
    },
    (error: unknown) => {
      settled = true;
      // Configuration and policy errors name the variable or file and field: print just that.
      const expected = error instanceof ConfigError || error instanceof PolicyValidationError;
      process.stderr.write(`${name}: ${expected ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
      process.exitCode = 1;
    },
  );
}
