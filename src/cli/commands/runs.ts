import { formatQuality } from '../../metrics/quality-format.js';
import { UsageError, type Command } from '../command.js';
import { RUN_REF_HELP } from '../../contract/common.js';
import { call, print, table, waitForJob, withApp } from '../app-client.js';
import { followControl } from './jobs.js';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List and manage training runs',
  usage: 'gan-studio runs [list|show RUN|pause RUN|resume RUN|stop RUN|rename RUN NAME|trash RUN|restore RUN|metrics RUN|checkpoints RUN|log RUN] [--all] [--no-wait] [--timeout SECONDS] [--json]',
  options: { all: { type: 'boolean' }, 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } },
  async run(ctx) {
    const [action = 'list', id, ...rest] = ctx.positionals;
    return withApp(ctx, async (app) => {
      if (action === 'list') {
        const runs = await call(app, 'runs:list', { includeTrashed: ctx.values.all === true });
        // `resumes at`: the newest checkpoint's step, where a resume really starts (after a kill
        // the row's step can be past it: 260/400 reported, 240 saved)
        print(ctx, runs, () => table(runs.map((r) => ({ ...r, steps: `${r.step}/${r.totalSteps}`, 'resumes at': r.resumableStep ?? '-', quality: formatQuality(r.lastMetrics), trashed: r.trashed ? 'yes' : '' })), ['id', 'name', 'task', 'model', 'state', 'steps', 'resumes at', 'quality', 'trashed']));
        return 0;
      }
      if (!id) throw new UsageError(`runs ${action} needs a run: ${RUN_REF_HELP}`);
      switch (action) {
        case 'show': {
          const run = await call(app, 'runs:get', { id });
          print(ctx, run, () => Object.entries(run).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`));
          return 0;
        }
        case 'pause':
        case 'stop': {
          // like `jobs pause/cancel`: when another process runs it, wait until that owner has acted
          const answer = await call(app, action === 'pause' ? 'runs:pause' : 'runs:stop', { id });
          return followControl(ctx, app, answer.jobId, action, answer, ctx.values['no-wait'] === true);
        }
        case 'resume': {
          const { jobId } = await call(app, 'runs:resume', { id });
          // the engine lives as long as this process: wait, showing progress; Ctrl-C stops the run
          ctx.io.err(`resumed ${id} as job ${jobId}; Ctrl-C stops it (a checkpoint is saved)`);
          const job = await waitForJob(ctx, app, jobId);
          if (!ctx.json) ctx.io.out(`${id}: ${job.state}${job.error ? ` — ${job.error.code}: ${job.error.message}` : ''}`);
          return job.state === 'done' || job.state === 'paused' ? 0 : job.state === 'cancelled' ? 130 : 1;
        }
        case 'rename': {
          if (!rest.length) throw new UsageError('runs rename ID NAME');
          await call(app, 'runs:update', { id, name: rest.join(' ') });
          break;
        }
        case 'trash': await call(app, 'runs:trash', { id }); break;
        case 'restore': await call(app, 'runs:restore', { id }); break;
        case 'metrics': {
          const points = await call(app, 'runs:metrics', { id });
          print(ctx, points, () => table(points.map((p) => ({ step: p.step, ...p.values })), ['step', ...new Set(points.flatMap((p) => Object.keys(p.values)))]));
          return 0;
        }
        case 'checkpoints': {
          const cps = await call(app, 'runs:checkpoints', { id });
          print(ctx, cps, () => table(cps.map((c) => ({ ...c, quality: formatQuality(c.scores ?? {}), flags: [c.latest ? 'latest' : '', c.best ? 'best' : ''].filter(Boolean).join(',') })), ['name', 'step', 'bytes', 'score', 'quality', 'flags']));
          return 0;
        }
        case 'log': {
          const text = await call(app, 'runs:log', { id });
          print(ctx, { log: text }, () => [text]);
          return 0;
        }
        default: throw new UsageError(`unknown action "${action}"`);
      }
      print(ctx, { ok: true }, () => [`${action}: ${id}`]);
      return 0;
    });
  },
};
