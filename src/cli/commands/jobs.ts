import { UsageError, type Command } from '../command.js';
import { call, print, table, withApp } from '../../handlers/cli-client.js';

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'List, pause, resume, cancel and reorder jobs',
  usage: 'gan-studio jobs [list|pause ID|resume ID|cancel ID|move ID POSITION] [--json]',
  options: {},
  async run(ctx) {
    const [action = 'list', id, position] = ctx.positionals;
    return withApp(ctx, async (app) => {
      if (action === 'list') {
        const jobs = await call(app, 'jobs:list', {});
        print(ctx, jobs, () => table(jobs.map((j) => ({
          ...j,
          progress: j.progress ? `${j.progress.done}/${j.progress.total}` : '',
          error: j.error ? `${j.error.code}: ${j.error.message}` : j.errors ? `${j.errors} errors` : '',
        })), ['id', 'kind', 'state', 'progress', 'title', 'error']));
        return 0;
      }
      if (!id) throw new UsageError(`jobs ${action} needs a job id`);
      if (action === 'pause') await call(app, 'jobs:pause', { id });
      else if (action === 'resume') await call(app, 'jobs:resume', { id });
      else if (action === 'cancel') await call(app, 'jobs:cancel', { id });
      else if (action === 'move') {
        if (!position || !/^\d+$/.test(position)) throw new UsageError('jobs move ID POSITION (0 = next)');
        await call(app, 'jobs:reorder', { id, position: Number(position) });
      } else throw new UsageError(`unknown action "${action}"`);
      print(ctx, { ok: true }, () => [`${action}: ${id}`]);
      return 0;
    });
  },
};
