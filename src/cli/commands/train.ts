// gan-studio train: a thin client of runs:start / runs:resume. Training runs in the app's engine
// process (never in this one), as a workspace run the UI lists; this command follows its job
// with a progress bar or --json lines. --out RUN_DIR trains into a folder outside the workspace.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError, choiceOpt, floatOpt, intOpt, stringOpt, type Command, type CommandContext } from '../command.js';
import { AppError } from '../../contract/errors.js';
import { TASKS } from '../../contract/common.js';
import { SAMPLE_DATASETS, type ImportReport, type SampleDataset } from '../../contract/datasets.js';
import { LOSSES, PRESETS, TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { BackendPref } from '../../contract/system.js';
import { call, withApp } from '../app-client.js';
import type { App } from '../../handlers/context.js';
import { readRunSpec } from '../../training/run-files.js';
import { followImport } from './import.js';
import { followTraining } from './train-progress.js';
import { resolveRunTarget } from './run-ref.js';

/** Only the flags the user typed: on --resume --out they overlay the run's own spec. */
function specFromFlags(values: Record<string, unknown>): Partial<TrainSpecInput> {
  const v = values as Parameters<typeof stringOpt>[0];
  const spec: Partial<TrainSpecInput> = {
    task: choiceOpt(v, 'task', TASKS),
    model: stringOpt(v, 'model'),
    preset: choiceOpt(v, 'preset', PRESETS),
    size: intOpt(v, 'size'),
    channels: intOpt(v, 'channels') as 1 | 3 | undefined,
    scale: intOpt(v, 'scale') as 2 | 3 | 4 | undefined,
    steps: intOpt(v, 'steps'),
    batch: intOpt(v, 'batch'),
    loss: choiceOpt(v, 'loss', LOSSES),
    seed: intOpt(v, 'seed'),
    lr: floatOpt(v, 'lr'),
    diffAugment: v['diff-augment'] === true ? true : undefined,
    ema: v.ema === true ? true : undefined,
    flip: v.flip === true ? true : v['no-flip'] === true ? false : undefined,
    sampleEvery: intOpt(v, 'sample-every'),
    checkpointEvery: intOpt(v, 'checkpoint-every'),
    backend: choiceOpt(v, 'backend', BackendPref.options),
  };
  return Object.fromEntries(Object.entries(spec).filter(([, x]) => x !== undefined)) as Partial<TrainSpecInput>;
}

function parseSpec(input: TrainSpecInput): TrainSpec {
  const parsed = TrainSpec.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError('INVALID_ARGUMENT', `training spec: ${issue.path.join('.') || 'spec'}: ${issue.message}`);
}

/**
 * What `--data X` names, as a dataset id: a dataset id or name is used as is; a file, folder or
 * zip is imported first (a new dataset each time: the folder may have changed since), and so is
 * a bundled sample set's name.
 */
async function datasetFor(ctx: CommandContext, app: App, flag: string, arg: string, note: (m: string) => void): Promise<string> {
  if (/^[A-Za-z0-9._-]+$/.test(arg)) {
    const byId = await call(app, 'datasets:get', { id: arg }).catch(() => null);
    if (byId) return byId.id;
  }
  const byName = (await call(app, 'datasets:list', {})).find((d) => d.name === arg); // newest first
  if (byName) return byName.id;
  let report: ImportReport;
  if (existsSync(arg)) {
    const { jobId } = await call(app, 'datasets:import', { paths: [arg] });
    report = await followImport(ctx, app, jobId, { label: `importing ${arg}` });
  } else if ((SAMPLE_DATASETS as readonly string[]).includes(arg)) {
    const { jobId } = await call(app, 'datasets:importSample', { sample: arg as SampleDataset });
    report = await followImport(ctx, app, jobId, { label: `importing sample ${arg}` });
  } else {
    throw new AppError('NOT_FOUND', `--${flag} ${arg}: neither a dataset (see \`gan-studio datasets\`), a file, folder or .zip, nor a sample set (${SAMPLE_DATASETS.join(', ')})`);
  }
  note(`imported ${arg} as dataset ${report.datasetId}: ${report.accepted} images, ${report.duplicates.length} duplicates, ${report.rejected.length} refused`);
  return report.datasetId;
}

const DATA_FLAGS = [['data', 'datasetId'], ['data-a', 'datasetA'], ['data-b', 'datasetB']] as const;

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a model (generate, superres or cyclegan)',
  usage: [
    'gan-studio train --task generate|superres|cyclegan [--model M] --data DIR_OR_ID [--data-a A --data-b B] [--name NAME] [--size 32|64|128] [--channels 1|3] [--steps N] [--batch B] [--seed S] [--preset tiny|small|default] [--loss bce|lsgan|hinge] [--flip|--no-flip] [--backend auto|cuda|webgpu|tensorflow|wasm|cpu] [--out RUN_DIR] [--json]',
    '       gan-studio train --resume --run RUN       continue a run (same settings; pause it with `gan-studio runs pause RUN`)',
    '       gan-studio train --resume --out RUN_DIR   continue a run folder outside the workspace (flags overlay its settings)',
    '',
    'Training runs in the engine process as a workspace run that `gan-studio runs` and the app list. Ctrl-C stops it',
    'after a checkpoint (exit 130). With --out RUN_DIR the run lives in that folder and is not listed in the workspace.',
    '--flip mirrors half the training images: safe when a mirrored image is just as real (landscapes, faces), wrong for',
    'digits, text and logos, which a GAN then draws mirrored. Off by default for generate, on for cyclegan (--no-flip).',
  ].join('\n'),
  options: {
    'task': { type: 'string' },
    'model': { type: 'string' },
    'data': { type: 'string' },
    'data-a': { type: 'string' },
    'data-b': { type: 'string' },
    'size': { type: 'string' },
    'channels': { type: 'string' },
    'scale': { type: 'string' },
    'steps': { type: 'string' },
    'batch': { type: 'string' },
    'out': { type: 'string' },
    'run': { type: 'string' },
    'resume': { type: 'boolean' },
    'seed': { type: 'string' },
    'preset': { type: 'string' },
    'loss': { type: 'string' },
    'lr': { type: 'string' },
    'backend': { type: 'string' },
    'diff-augment': { type: 'boolean' },
    'ema': { type: 'boolean' },
    'flip': { type: 'boolean' },
    'no-flip': { type: 'boolean' },
    'sample-every': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'name': { type: 'string' },
  },
  async run(ctx) {
    const { values } = ctx;
    const flags = specFromFlags(values);
    const resume = values.resume === true;
    let out = stringOpt(values, 'out');
    let runRef = stringOpt(values, 'run');
    const name = stringOpt(values, 'name');
    if (values.flip === true && values['no-flip'] === true) throw new UsageError('give --flip or --no-flip, not both');
    if (out && runRef) throw new UsageError('give --run RUN (a workspace run) or --out RUN_DIR, not both');
    if (runRef && !resume) throw new UsageError('--run RUN continues a run: add --resume');
    if (runRef) {
      // the one resolver: a workspace run by id, name or folder; any other run folder is --out's
      const target = resolveRunTarget(runRef, ctx.workspace);
      if (target.kind === 'folder') [out, runRef] = [target.dir, undefined];
      else runRef = target.run.id;
    }
    if (resume && !out && !runRef) throw new UsageError('--resume needs --run ID (a workspace run, see `gan-studio runs`) or --out RUN_DIR');
    if (runRef && Object.keys(flags).length) {
      throw new UsageError(`a workspace run resumes with its own settings; drop ${Object.keys(flags).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} (or start a new run)`);
    }
    return withApp(ctx, async (app) => {
      if (!resume && !runRef && !flags.model) {
        // a task with one model family needs no --model; for one with several, name them (system:tasks)
        const task = flags.task ?? 'generate';
        const families = (await call(app, 'system:tasks', {})).find((t) => t.id === task)?.families ?? [];
        if (families.length !== 1) throw new UsageError(`--model is required for --task ${task}: ${families.map((f) => f.id).join('|')}`);
        flags.model = families[0]!.id;
      }
      if (runRef) {
        const run = await call(app, 'runs:get', { id: runRef });
        const { jobId } = await call(app, 'runs:resume', { id: run.id });
        return followTraining(ctx, app, jobId, { runId: run.id, runDir: join(app.ws.layout.runs, run.id), resume: true, spec: run.spec });
      }

      let input: TrainSpecInput;
      const runDir = out ? resolve(out) : null;
      if (resume) {
        const saved = await readRunSpec(runDir!);
        if (!saved) throw new AppError('NOT_FOUND', `${runDir} holds no run to resume (no spec.json); start one without --resume`);
        const own = Object.fromEntries(Object.entries(saved.spec).filter(([k]) => k in TrainSpec.shape)) as TrainSpecInput;
        input = { ...own, ...flags };
      } else {
        input = { task: 'generate', ...flags } as TrainSpecInput;
      }
      const note = (message: string) => (ctx.json ? ctx.io.out(JSON.stringify({ event: 'log', level: 'info', message })) : ctx.io.err(message));
      for (const [flag, field] of DATA_FLAGS) {
        const arg = stringOpt(values, flag);
        // a resumed run keeps its own dataset: importing the folder again would make a new id
        if (!arg || (resume && input[field])) continue;
        input[field] = await datasetFor(ctx, app, flag, arg, note);
      }

      if (!runDir) {
        const { runId, jobId } = await call(app, 'runs:start', { spec: parseSpec(input), ...(name ? { name } : {}) });
        return followTraining(ctx, app, jobId, { runId, runDir: join(app.ws.layout.runs, runId), resume: false, spec: input });
      }
      // a run folder outside the workspace: the same engine task, without a catalog row
      const spec = parseSpec(input);
      const job = app.jobs.submit({
        kind: 'train', title: `train ${name ?? basename(runDir)}`, task: 'train', runId: null, pausable: true,
        input: { runId: basename(runDir), runDir, spec, resume },
      });
      return followTraining(ctx, app, job.id, { runId: null, runDir, resume, spec: input });
    });
  },
};
