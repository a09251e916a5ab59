import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const interpolateCommand: Command = {
  name: 'interpolate',
  summary: 'Interpolate between two latent seeds',
  usage: 'gan-studio interpolate --run RUN --from SEED --to SEED --frames N [--out DIR] [--gif]',
  options: {
    'run': { type: 'string' },
    'from': { type: 'string' },
    'to': { type: 'string' },
    'frames': { type: 'string' },
    'out': { type: 'string' },
    'gif': { type: 'boolean' },
    'checkpoint': { type: 'string' },
    'backend': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio interpolate` is not implemented yet');
  },
};
