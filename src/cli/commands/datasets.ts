import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'List, show and delete datasets',
  usage: 'gan-studio datasets [list|show ID|delete ID] [--json]',
  options: {

  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio datasets` is not implemented yet');
  },
};
