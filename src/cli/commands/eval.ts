import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Measure quality: PSNR/SSIM for super-resolution, SWD for generation and style transfer',
  usage: 'gan-studio eval --task superres|cyclegan|generate [--model M | --run RUN] --data DIR [--json]',
  options: {
    'task': { type: 'string' },
    'model': { type: 'string' },
    'run': { type: 'string' },
    'scale': { type: 'string' },
    'data': { type: 'string' },
    'data-a': { type: 'string' },
    'data-b': { type: 'string' },
    'limit': { type: 'string' },
    'backend': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio eval` is not implemented yet');
  },
};
