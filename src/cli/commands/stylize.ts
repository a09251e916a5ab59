import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const stylizeCommand: Command = {
  name: 'stylize',
  summary: 'Translate images with a trained CycleGAN run',
  usage: 'gan-studio stylize --run RUN --direction a2b|b2a INPUT... --out DIR [--format png|jpg|webp] [--tile N]',
  options: {
    'run': { type: 'string' },
    'direction': { type: 'string' },
    'out': { type: 'string' },
    'format': { type: 'string' },
    'quality': { type: 'string' },
    'tile': { type: 'string' },
    'backend': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio stylize` is not implemented yet');
  },
};
