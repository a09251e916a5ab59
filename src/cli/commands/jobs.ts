import { UsageError, intOpt, type Command, type CommandContext } from '../command.js';
import type { ControlAnswer, JobSummary } from '../../contract/jobs.js';
import type { App } from '../../handlers/context.js';
import { call, print, table, waitForJob, withApp } from '../app-client.js';

function describe(job: JobSummary): string {
  const progress = job.progress ? ` at ${job.progress.done}/${job.progress.total} ${job.progress.unit}s` : '';
  return `${job.id} is ${job.state}${progress}`;
}

/**
 * A job another process owns (the app, a server, a `train` in another terminal) is changed by
 * that owner: wait, bounded, until the catalog shows it. A job this CLI ends up running itself
 * (resumed here, or its owner died) is followed to its end, or the CLI's exit would interrupt it.
 */
export async function followControl(ctx: CommandContext, app: App, id: string, action: string, answer: ControlAnswer, noWait: boolean): Promise<number> {
  if (answer.requestId !== undefined && answer.owner) {
    const owner = `pid ${answer.owner.pid} on ${answer.owner.hostname}`;
    if (noWait) {
      print(ctx, answer, () => [`${action}: asked the gan-studio process that runs ${id} (${owner})`]);
      return 0;
    }
    const timeoutMs = (intOpt(ctx.values, 'timeout') ?? 15) * 1000;
    const { job, handledHere } = await app.jobs.awaitRequest(answer, { timeoutMs, signal: ctx.signal });
    if (!handledHere) {
      print(ctx, { ...answer, job }, () => [`${action}: ${describe(job)} (done by ${owner})`]);
      return 0;
    }
    ctx.io.err(`the process that ran ${id} (${owner}) has stopped; handled here instead`);
  }
  const job = app.jobs.get(id);
  if (job.state === 'queued' || job.state === 'running') {
    ctx.io.err(`${id} runs in this terminal now (Ctrl-C cancels it)`);
    const settled = await waitForJob(ctx, app, id);
    print(ctx, { ok: true, job: settled }, () => [`${action}: ${describe(settled)}`]);
    return settled.state === 'done' || settled.state === 'paused' ? 0 : 1;
  }
  print(ctx, { ok: true, job }, () => [`${action}: ${describe(job)}`]);
  return 0;
}

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'List, pause, resume, cancel and reorder jobs (also those the app or a server runs)',
  usage: 'gan-studio jobs [list|pause ID|resume ID|cancel ID|move ID POSITION] [--no-wait] [--timeout SECONDS] [--json]',
  options: {
    'no-wait': { type: 'boolean' },
    'timeout': { type: 'string' },
  },
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
      let answer: ControlAnswer;
      if (action === 'pause') answer = await call(app, 'jobs:pause', { id });
      else if (action === 'resume') answer = await call(app, 'jobs:resume', { id });
      else if (action === 'cancel') answer = await call(app, 'jobs:cancel', { id });
      else if (action === 'move') {
        if (!position || !/^\d+$/.test(position)) throw new UsageError('jobs move ID POSITION (0 = next)');
        answer = await call(app, 'jobs:reorder', { id, position: Number(position) });
      } else throw new UsageError(`unknown action "${action}"`);
      return followControl(ctx, app, id, action, answer, ctx.values['no-wait'] === true);
    });
  },
};
