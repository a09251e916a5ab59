import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'List, pause, resume, cancel and reorder jobs',
  usage: 'gan-studio jobs [list|pause ID|resume ID|cancel ID|move ID POSITION] [--json]',
  options: {

  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio jobs` is not implemented yet');
  },
};
