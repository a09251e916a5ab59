import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Run the benchmarks (same as npm run bench)',
  usage: 'gan-studio bench [--quick]',
  options: {
    'quick': { type: 'boolean' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio bench` is not implemented yet');
  },
};
