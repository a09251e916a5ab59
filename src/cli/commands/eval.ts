// `gan-studio eval`: one dispatcher, one module per task under src/cli/eval/. To add a task,
// add one entry to EVALUATORS (e.g. `cyclegan: () => import('../eval/cyclegan.js')`).
import { relative } from 'node:path';
import { EXIT, UsageError, intOpt, stringOpt, type Command, type CommandContext } from '../command.js';
import { AppError } from '../../contract/errors.js';
import { BackendPref } from '../../contract/system.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { silentReporter, type TaskContext } from '../../common/reporter.js';
import { RUN_REF_HELP, resolveModelOrRun } from './run-ref.js';

/** A task's evaluator: parses its own flags from ctx.values, prints, returns the exit code. */
export interface EvalModule {
  runEval(ctx: CommandContext, task: TaskContext): Promise<number>;
}

const EVALUATORS: Record<string, () => Promise<EvalModule>> = {
  superres: async () => ({ runEval: runSuperresEval }),
  cyclegan: () => import('../eval/cyclegan.js'),
};

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

async function runSuperresEval(ctx: CommandContext, task: TaskContext): Promise<number> {
  const { evalSuperres } = await import('../eval/superres.js');
  const modelArg = stringOpt(ctx.values, 'model');
  const data = stringOpt(ctx.values, 'data');
  const scale = intOpt(ctx.values, 'scale') ?? 2;
  if (!modelArg) throw new UsageError(`--model esrgan-slim|esrgan-medium|esrgan-thick|RUN (${RUN_REF_HELP}) is required`);
  const { isPretrainedModel } = await import('../../inference/upscale.js');
  const model = resolveModelOrRun(modelArg, ctx.workspace, (m) => isPretrainedModel(m, scale));
  if (!data) throw new UsageError('--data DIR of HR images is required');
  if (![2, 3, 4].includes(scale)) throw new UsageError('--scale must be 2, 3 or 4');
  const report = await evalSuperres({ model, scale, data, limit: intOpt(ctx.values, 'limit'), tile: intOpt(ctx.values, 'tile') }, task);
  if (ctx.json) {
    ctx.io.out(JSON.stringify(report));
    return EXIT.ok;
  }
  ctx.io.out(`PSNR/SSIM on Y, border ${scale} px cropped, ${modelArg} vs bicubic at ×${scale}`);
  ctx.io.out(['image'.padEnd(40), 'model PSNR', 'SSIM  ', 'bicubic PSNR', 'SSIM  '].join('  '));
  for (const row of report.images) {
    const name = relative(data, row.image) || row.image;
    ctx.io.out([name.slice(-40).padEnd(40), fmt(row.model.psnr, 2).padStart(10), fmt(row.model.ssim, 4), fmt(row.bicubic.psnr, 2).padStart(12), fmt(row.bicubic.ssim, 4)].join('  '));
  }
  const { mean } = report;
  ctx.io.out(['mean'.padEnd(40), fmt(mean.model.psnr, 2).padStart(10), fmt(mean.model.ssim, 4), fmt(mean.bicubic.psnr, 2).padStart(12), fmt(mean.bicubic.ssim, 4)].join('  '));
  ctx.io.out(`model − bicubic: ${mean.gainDb >= 0 ? '+' : ''}${fmt(mean.gainDb, 2)} dB over ${report.images.length} image(s)`);
  return EXIT.ok;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Measure quality: PSNR/SSIM for super-resolution, SWD for generation and style transfer',
  usage: 'gan-studio eval --task superres|cyclegan|generate --model RUN|esrgan-slim|esrgan-medium|esrgan-thick [--scale S] --data DIR [--limit N] [--json]',
  renamed: { run: 'model' },
  options: {
    'task': { type: 'string' },
    'model': { type: 'string' },
    'scale': { type: 'string' },
    'data': { type: 'string' },
    'data-a': { type: 'string' },
    'data-b': { type: 'string' },
    'limit': { type: 'string' },
    'tile': { type: 'string' },
    'backend': { type: 'string' },
  },
  async run(ctx) {
    const task = stringOpt(ctx.values, 'task');
    if (!task) throw new UsageError(`--task is required: ${Object.keys(EVALUATORS).join('|')}`);
    const load = EVALUATORS[task];
    if (!load) throw new AppError('INVALID_ARGUMENT', `eval does not support --task ${task} in this build; supported: ${Object.keys(EVALUATORS).join(', ')}`);
    const backendArg = stringOpt(ctx.values, 'backend') ?? 'auto';
    const pref = BackendPref.safeParse(backendArg);
    if (!pref.success) throw new UsageError(`--backend: unknown backend "${backendArg}"`);
    await ensureBackend(pref.data);
    const taskCtx: TaskContext = {
      signal: ctx.signal,
      report: { ...silentReporter, log: (level, message) => ctx.io.err(`${level}: ${message}`) },
    };
    return (await load()).runEval(ctx, taskCtx);
  },
};
