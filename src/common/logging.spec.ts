import { describe, expect, it } from '@jest/globals';

import { createRootLogger, PinoNestLogger, readableLogs } from './logging.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new PinoNestLogger(
    createRootLogger('trace', 'auto', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }),
  );
  return { lines, logger };
}

describe('PinoNestLogger', () => {
  it("turns Nest's (message, context) into one line with context", () => {
    const { lines, logger } = capture();
    logger.log('ready', 'Main');
    logger.warn({ msg: 'slow', ms: 12 }, 'Sweeper');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'ready', context: 'Main' }),
      expect.objectContaining({ level: 40, msg: 'slow', ms: 12, context: 'Sweeper' }),
    ]);
  });

  it("keeps the stack Nest's exception handlers pass as (message, stack, context), and errors given as such", () => {
    const { lines, logger } = capture();
    logger.error('boom', 'Error: boom\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    logger.error(new Error('bang'), 'Errors');
    expect(lines[0]).toEqual(expect.objectContaining({ level: 50, context: 'ExceptionsHandler', msg: 'boom' }));
    expect((lines[0].err as { stack: string }).stack).toContain('at somewhere');
    expect(lines[1]).toEqual(expect.objectContaining({ context: 'Errors', err: expect.objectContaining({ message: 'bang' }) }));
  });
});

describe('readableLogs', () => {
  it('prints for people on a terminal only, unless told', () => {
    expect(readableLogs('auto', true)).toBe(true);
    expect(readableLogs('auto', false)).toBe(false);
    expect(readableLogs('json', true)).toBe(false);
    expect(readableLogs('pretty', false)).toBe(true);
  });
});
