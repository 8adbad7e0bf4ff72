import { readFileSync } from 'node:fs';

/**
 * The arguments `npm start` gives node (its heap budget, then the entry point), read from package.json
 * so the benchmarks run the service exactly as it is started, plus any BENCH_NODE_ARGS (a profiler).
 */
export function serviceNodeArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  const command = scripts.start.split('&&').at(-1)?.trim() ?? '';
  const [program, ...args] = command.split(/\s+/);
  if (program !== 'node' || !args.at(-1)?.endsWith('.js')) {
    throw new Error(`package.json's start script does not end with "node … <entry>.js": ${scripts.start}`);
  }
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return [...args.slice(0, -1), ...extra, args.at(-1)!];
}
