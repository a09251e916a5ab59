import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const batchCommand: Command = {
  name: 'batch',
  summary: 'Apply a model to files, folders or zips into an output folder',
  usage: 'gan-studio batch --task superres|cyclegan|generate --model M INPUT... --out DIR [--report FILE] [--fail-fast]',
  options: {
    'task': { type: 'string' },
    'model': { type: 'string' },
    'out': { type: 'string' },
    'report': { type: 'string' },
    'fail-fast': { type: 'boolean' },
    'scale': { type: 'string' },
    'direction': { type: 'string' },
    'format': { type: 'string' },
    'quality': { type: 'string' },
    'tile': { type: 'string' },
    'count': { type: 'string' },
    'seed': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio batch` is not implemented yet');
  },
};
