import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List and manage training runs',
  usage: 'gan-studio runs [list|show ID|pause ID|resume ID|stop ID|rename ID NAME|trash ID|metrics ID|checkpoints ID] [--json]',
  options: {

  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio runs` is not implemented yet');
  },
};
