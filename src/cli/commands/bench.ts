import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

/** `gan-studio bench` runs the same harness as `npm run bench` (dist/bench/run.js). */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'Run the benchmarks (same as npm run bench) and regenerate BENCHMARKS.md',
  usage: 'gan-studio bench [--quick] [--only SUITE,...]',
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
  },
  async run({ values, signal }) {
    const runner = fileURLToPath(new URL('../../../bench/run.js', import.meta.url));
    if (!existsSync(runner)) throw new AppError('NOT_FOUND', `the benchmark harness is not built (${runner}) — run \`npm run build:node\` first`);
    const args = [runner, ...(values.quick ? ['--quick'] : []), ...(typeof values.only === 'string' ? ['--only', values.only] : [])];
    const child = spawn(process.execPath, args, { stdio: 'inherit', signal });
    return new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  },
};
