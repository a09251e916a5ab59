import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Show the available compute backends, why others are skipped, and their speed',
  usage: 'gan-studio doctor [--json]',
  options: {

  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio doctor` is not implemented yet');
  },
};
