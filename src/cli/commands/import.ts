import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'Import images (files, folders, zips) or a sample set as a dataset',
  usage: 'gan-studio import PATH... [--name NAME] [--json] | gan-studio import --sample mnist|emoji-google|emoji-twitter',
  options: {
    'name': { type: 'string' },
    'sample': { type: 'string' },
    'limit': { type: 'string' },
    'accept-partial': { type: 'boolean' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio import` is not implemented yet');
  },
};
