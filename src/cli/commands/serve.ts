import type { Command } from '../command.js';
import { AppError } from '../../contract/errors.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the studio UI and API over HTTP for browsers and remote GPU boxes',
  usage: 'gan-studio serve [--port 7860] [--host 127.0.0.1] [--token T] [--allow DIR]...',
  options: {
    'port': { type: 'string' },
    'host': { type: 'string' },
    'token': { type: 'string' },
    'allow': { type: 'string', multiple: true },
    'open': { type: 'boolean' },
  },
  async run() {
    throw new AppError('INTERNAL', '`gan-studio serve` is not implemented yet');
  },
};
