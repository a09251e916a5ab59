import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a model (generate, superres or cyclegan)',
  usage: 'gan-studio train --task generate|superres|cyclegan --data DIR_OR_ID [options]',
  options: {
    'task': { type: 'string' },
    'model': { type: 'string' },
    'data': { type: 'string' },
    'data-a': { type: 'string' },
    'data-b': { type: 'string' },
    'size': { type: 'string' },
    'channels': { type: 'string' },
    'scale': { type: 'string' },
    'steps': { type: 'string' },
    'batch': { type: 'string' },
    'out': { type: 'string' },
    'resume': { type: 'boolean' },
    'seed': { type: 'string' },
    'preset': { type: 'string' },
    'loss': { type: 'string' },
    'lr': { type: 'string' },
    'backend': { type: 'string' },
    'diff-augment': { type: 'boolean' },
    'ema': { type: 'boolean' },
    'sample-every': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'name': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio train` is not implemented yet');
  },
};
