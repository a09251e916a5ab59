import { modelFileArg } from './run-ref.js';
import { UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { OUTPUT_FORMATS, type BatchReport } from '../../contract/batch.js';
import { TASKS } from '../../contract/common.js';
import { QUEUE_FILES } from '../../contract/queue.js';
import { call, waitForJob, withApp } from '../app-client.js';
import { taskDefinition } from '../../tasks/index.js';

export const batchCommand: Command = {
  name: 'batch',
  summary: 'Apply a model to files, folders or zips into an output folder',
  usage: 'gan-studio batch --task superres|cyclegan|generate --model RUN|MODEL INPUT... --out DIR [--report FILE] [--fail-fast] [--scale S] [--direction a2b|b2a] [--format png|jpg|webp] [--quality Q] [--tile N] [--count N] [--seed N] [--max-pixels N] [--queue redis://HOST:PORT [--queue-files redis|shared]]',
  options: {
    'task': { type: 'string' },
    'model': { type: 'string' },
    'out': { type: 'string' },
    'report': { type: 'string' },
    'fail-fast': { type: 'boolean' },
    'scale': { type: 'string' },
    'direction': { type: 'string' },
    'format': { type: 'string' },
    'quality': { type: 'string' },
    'tile': { type: 'string' },
    'count': { type: 'string' },
    'seed': { type: 'string' },
    'max-pixels': { type: 'string' },
    'queue': { type: 'string' },
    'queue-files': { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const task = choiceOpt(v, 'task', TASKS);
    const model = stringOpt(v, 'model');
    const out = stringOpt(v, 'out');
    if (!task || !model || !out) throw new UsageError('--task, --model and --out are required');
    if (taskDefinition(task).batchInput === 'images' && !ctx.positionals.length) throw new UsageError('give at least one input file, folder or zip');
    const scale = intOpt(v, 'scale');
    const spec = {
      // a model file's path goes absolute (the handler may run in a worker with another cwd)
      task, model: modelFileArg(model) ?? model, out, inputs: ctx.positionals,
      ...(stringOpt(v, 'report') ? { report: stringOpt(v, 'report') } : {}),
      failFast: v['fail-fast'] === true,
      ...(scale !== undefined ? { scale: scale as 2 | 3 | 4 } : {}),
      ...(choiceOpt(v, 'direction', ['a2b', 'b2a'] as const) ? { direction: choiceOpt(v, 'direction', ['a2b', 'b2a'] as const) } : {}),
      ...(choiceOpt(v, 'format', OUTPUT_FORMATS) ? { format: choiceOpt(v, 'format', OUTPUT_FORMATS) } : {}),
      ...(intOpt(v, 'quality') !== undefined ? { quality: intOpt(v, 'quality') } : {}),
      ...(intOpt(v, 'tile') !== undefined ? { tile: intOpt(v, 'tile') } : {}),
      ...(intOpt(v, 'count') !== undefined ? { count: intOpt(v, 'count') } : {}),
      ...(intOpt(v, 'seed') !== undefined ? { seed: intOpt(v, 'seed') } : {}),
      ...(intOpt(v, 'max-pixels') !== undefined ? { maxPixels: intOpt(v, 'max-pixels') } : {}),
      // on `gan-studio worker`s instead of this machine's engine; files through Redis unless every machine sees the same paths
      ...(stringOpt(v, 'queue') ? { queue: stringOpt(v, 'queue') } : {}),
      ...(choiceOpt(v, 'queue-files', QUEUE_FILES) ? { queueFiles: choiceOpt(v, 'queue-files', QUEUE_FILES) } : {}),
    };
    if (spec.queueFiles && !spec.queue) throw new UsageError('--queue-files goes with --queue');
    return withApp(ctx, async (app) => {
      const { jobId } = await call(app, 'batch:start', { spec });
      const job = await waitForJob(ctx, app, jobId);
      let report: BatchReport | null = null;
      try {
        report = await call(app, 'batch:report', { jobId });
      } catch {
        report = null;
      }
      if (ctx.json) {
        ctx.io.out(JSON.stringify({ event: 'result', job, report: report && { ...report, items: undefined } }));
      } else {
        for (const f of report?.items.filter((i) => i.status === 'failed') ?? []) ctx.io.err(`failed: ${f.input}: ${f.code}: ${f.message}`);
        if (job.state === 'done') {
          const tail = report ? ` (${report.ok} written, ${report.skipped} already done)` : '';
          ctx.io.out(job.errors ? `completed with ${job.errors} error${job.errors === 1 ? '' : 's'}${tail}` : `completed${tail}`);
        } else {
          ctx.io.out(`${job.state}${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}`);
        }
        ctx.io.out(`report: ${(job.result as { report?: string } | null)?.report ?? '(none)'}`);
      }
      if (job.state === 'done') return job.errors ? 1 : 0;
      return job.state === 'cancelled' ? 130 : 1;
    });
  },
};
