import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT, UsageError, choiceOpt, floatOpt, intOpt, stringOpt, type Command } from '../command.js';
import { AppError } from '../../contract/errors.js';
import { TASKS } from '../../contract/common.js';
import { LOSSES, PRESETS, TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { BackendPref } from '../../contract/system.js';
import type { TaskContext } from '../../jobs/reporter.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { openWorkspace, type Workspace } from '../../workspace/workspace.js';
import { train, resolveTrainSpec } from '../../training/train.js';
import { readRunSpec } from '../../training/run-files.js';
import { buildTrainSource, optionalImport } from '../../training/source-builders.js';
import { cliReporter } from './train-progress.js';

type ResolveDataArg = (ws: Workspace, arg: string, ctx: TaskContext) => Promise<string>;

/** The dataset module's resolveDataArg when this build has it (dataset id, or import a folder/zip). */
async function datasetResolver(): Promise<ResolveDataArg | null> {
  for (const path of ['../data/resolve-data-arg.js', '../data/dataset-source.js', '../data/import.js']) {
    const m = await optionalImport<{ resolveDataArg?: ResolveDataArg }>(path);
    if (m?.resolveDataArg) return m.resolveDataArg;
  }
  return null;
}

const isFolder = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

function newRunId(model: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${stamp}-${model}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Only the flags the user typed: on --resume they overlay the run's own spec. */
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
    sampleEvery: intOpt(v, 'sample-every'),
    checkpointEvery: intOpt(v, 'checkpoint-every'),
    backend: choiceOpt(v, 'backend', BackendPref.options),
  };
  return Object.fromEntries(Object.entries(spec).filter(([, x]) => x !== undefined)) as Partial<TrainSpecInput>;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a model (generate, superres or cyclegan)',
  usage: 'gan-studio train --task generate|superres|cyclegan --model M --data DIR_OR_ID [--size 32|64|128] [--channels 1|3] [--steps N] [--batch B] [--out RUN_DIR] [--resume] [--seed S] [--preset tiny|small|default] [--loss bce|lsgan|hinge] [--backend auto|cuda|webgpu|tensorflow|wasm|cpu] [--json]',
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
    'resume': { type: 'boolean' },
    'seed': { type: 'string' },
    'preset': { type: 'string' },
    'loss': { type: 'string' },
    'lr': { type: 'string' },
    'backend': { type: 'string' },
    'diff-augment': { type: 'boolean' },
    'ema': { type: 'boolean' },
    'sample-every': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'name': { type: 'string' },
  },
  async run(ctx) {
    const { values, io, json } = ctx;
    const flags = specFromFlags(values);
    const resume = values.resume === true;
    const out = stringOpt(values, 'out');
    if (resume && !out) throw new UsageError('--resume needs --out RUN_DIR (the run folder to continue)');

    let input: TrainSpecInput;
    let runDir: string;
    let ws: Workspace | null = null;
    const getWs = () => (ws ??= openWorkspace(ctx.workspace));
    if (resume) {
      runDir = resolve(out!);
      const saved = await readRunSpec(runDir);
      if (!saved) throw new AppError('NOT_FOUND', `${runDir} holds no run to resume (no spec.json); start one without --resume`);
      const own = Object.fromEntries(Object.entries(saved.spec).filter(([k]) => k in TrainSpec.shape)) as TrainSpecInput;
      input = { ...own, ...flags };
    } else {
      if (!flags.model) throw new UsageError('--model is required (generate: vanilla|dcgan)');
      input = { task: 'generate', ...flags } as TrainSpecInput;
      runDir = out ? resolve(out) : join(getWs().layout.runs, newRunId(flags.model));
    }

    const reporter = cliReporter(io, json);
    const taskCtx: TaskContext = { signal: ctx.signal, report: reporter };
    const args = { data: undefined as string | undefined, dataA: undefined as string | undefined, dataB: undefined as string | undefined, ctx: taskCtx };
    const dataFlags = { data: stringOpt(values, 'data'), dataA: stringOpt(values, 'data-a'), dataB: stringOpt(values, 'data-b') };
    const resolver = await datasetResolver();
    for (const [key, field] of [['data', 'datasetId'], ['dataA', 'datasetA'], ['dataB', 'datasetB']] as const) {
      const arg = dataFlags[key];
      if (!arg) continue;
      // a resumed run keeps its own dataset: importing the folder again would make a new id
      if (resume && input[field]) continue;
      if (resolver) input[field] = await resolver(getWs(), arg, taskCtx);
      else if (await isFolder(arg)) args[key] = resolve(arg);
      else throw new AppError('NOT_FOUND', `--${key === 'data' ? 'data' : key === 'dataA' ? 'data-a' : 'data-b'} ${arg}: no such folder (dataset ids need the dataset catalog, not in this build)`);
    }

    const backend = await ensureBackend(input.backend ?? 'auto');
    const spec = resolveTrainSpec(input);
    if (json) io.out(JSON.stringify({ event: 'started', runDir, backend, resume, spec }));
    else io.out(`training ${spec.model} (${spec.task}) ${spec.size}px on ${backend} → ${runDir}`);
    const usesDatasets = Boolean(spec.datasetId || spec.datasetA || spec.datasetB);
    const source = await buildTrainSource(usesDatasets ? getWs() : ws, spec, args);
    try {
      const progress = cliReporter(io, json, { imagesPerUnit: spec.batch });
      const result = await train({ spec: input, runDir, source, resume }, { signal: ctx.signal, report: progress });
      progress.finish();
      if (json) io.out(JSON.stringify({ event: 'done', ...result, backend }));
      else io.out(`${result.stopped} at step ${result.step}: ${runDir}`);
      return result.stopped === 'done' ? EXIT.ok : EXIT.interrupted;
    } finally {
      source.dispose();
      (ws as Workspace | null)?.close();
    }
  },
};
