import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const upscaleCommand: Command = {
  name: 'upscale',
  summary: 'Upscale images with a trained SR run or a pretrained ESRGAN',
  usage: 'gan-studio upscale --model RUN|esrgan-slim|esrgan-medium|esrgan-thick --scale S INPUT... --out DIR [--format png|jpg|webp] [--quality Q] [--tile N]',
  options: {
    'model': { type: 'string' },
    'scale': { type: 'string' },
    'out': { type: 'string' },
    'format': { type: 'string' },
    'quality': { type: 'string' },
    'tile': { type: 'string' },
    'backend': { type: 'string' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio upscale` is not implemented yet');
  },
};
