import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate images from a trained generator',
  usage: 'gan-studio generate --run RUN --count N [--out DIR] [--seed S] [--grid]',
  options: {
    'run': { type: 'string' },
    'count': { type: 'string' },
    'out': { type: 'string' },
    'seed': { type: 'string' },
    'grid': { type: 'boolean' },
    'checkpoint': { type: 'string' },
    'backend': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio generate` is not implemented yet');
  },
};
