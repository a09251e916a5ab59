import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'List trained and pretrained models; import and export TF.js models',
  usage: 'gan-studio models [list|import DIR [--task T --scale S]|export ID [--out DIR]] [--json]',
  options: {
    'task': { type: 'string' },
    'scale': { type: 'string' },
    'out': { type: 'string' },
    'input-range': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio models` is not implemented yet');
  },
};
