// `gan-studio compare`: the CLI twin of the gallery's "Compare models". Both models run on the
// same input through compare:start (two batch jobs, outputs also in the gallery); the two outputs
// and a side-by-side PNG are then copied to --out, never over an existing file: a taken name
// gets ` (2)`, as a batch names its outputs (jobs/batch/plan.ts).
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { EXIT, UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { COMPARE_TASKS, type CompareResult, type CompareSide } from '../../contract/compare.js';
import { call, waitForJob, withApp } from '../app-client.js';
import { taskDefinition } from '../../tasks/index.js';
import { freeOutputPath } from '../../jobs/batch/plan.js';
import { modelFileArg } from './run-ref.js';

const DIRECTIONS = ['a2b', 'b2a'] as const;

/** `--models A,B` (and `--directions a2b,b2a` or one `--direction` for both) → the two sides. */
export function parseSides(models: string, directions: string | undefined, scale: number | undefined): [CompareSide, CompareSide] {
  const names = models.split(',').map((m) => m.trim()).filter(Boolean);
  if (names.length !== 2) throw new UsageError('--models takes exactly two models, comma-separated: --models A,B');
  const dirs = directions?.split(',').map((d) => d.trim()) ?? [];
  for (const d of dirs) if (!(DIRECTIONS as readonly string[]).includes(d)) throw new UsageError(`--direction: "${d}" is not a2b or b2a`);
  const sides = names.map((model, i) => {
    const direction = (dirs[i] ?? dirs[0]) as CompareSide['direction'];
    return { model: modelFileArg(model) ?? model, ...(direction ? { direction } : {}), ...(scale ? { scale: scale as 2 | 3 | 4 } : {}) };
  });
  return [sides[0]!, sides[1]!];
}

/** A file-name-safe version of a model name (run ids and pretrained names are already close). */
function safe(name: string): string {
  return basename(name).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Run two SR or style models on the same image; write both outputs and a side-by-side PNG',
  usage: 'gan-studio compare --task superres|cyclegan --models RUN|MODEL,RUN|MODEL INPUT --out DIR [--direction a2b|b2a[,a2b|b2a]] [--scale S] [--tile N]',
  options: {
    'task': { type: 'string' },
    'models': { type: 'string' },
    'out': { type: 'string' },
    'direction': { type: 'string' },
    'scale': { type: 'string' },
    'tile': { type: 'string' },
  },
  minPositionals: 1,
  async run(ctx) {
    const v = ctx.values;
    const task = choiceOpt(v, 'task', COMPARE_TASKS);
    const models = stringOpt(v, 'models');
    const out = stringOpt(v, 'out');
    if (!task || !models || !out) throw new UsageError('--task, --models A,B and --out DIR are required');
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one input image');
    const scale = intOpt(v, 'scale');
    if (scale !== undefined && ![2, 3, 4].includes(scale)) throw new UsageError('--scale must be 2, 3 or 4');
    const direction = stringOpt(v, 'direction');
    const needs = taskDefinition(task).compare;
    if (needs.direction && !direction) throw new UsageError('style transfer needs --direction a2b|b2a (or one per model: --direction a2b,b2a)');
    const tile = intOpt(v, 'tile');
    const sides = parseSides(models, needs.direction ? direction : undefined, needs.scale ? scale : undefined);
    const input = resolve(ctx.positionals[0]!);
    return withApp(ctx, async (app) => {
      const started = await call(app, 'compare:start', { task, sides, input, ...(tile ? { tile } : {}) });
      for (const side of started.sides) {
        if (!ctx.json) ctx.io.out(`${side.model}${side.direction ? ` ${side.direction}` : ''}: job ${side.jobId}`);
        await waitForJob(ctx, app, side.jobId);
      }
      const result: CompareResult = await call(app, 'compare:get', { id: started.id });
      const dir = resolve(out);
      await mkdir(dir, { recursive: true });
      const stem = basename(input, extname(input));
      const taken = new Set<string>();
      const written: Record<string, string> = {};
      for (const [i, side] of result.sides.entries()) {
        if (!side.output) continue;
        const target = await freeOutputPath(dir, `${stem}-${String.fromCharCode(97 + i)}-${safe(side.model)}${extname(side.output)}`, taken);
        await copyFile(join(app.ws.root, side.output), target);
        written[i === 0 ? 'a' : 'b'] = target;
      }
      if (result.sideBySide) {
        const target = await freeOutputPath(dir, `${stem}-side-by-side.png`, taken);
        await copyFile(join(app.ws.root, result.sideBySide), target);
        written.sideBySide = target;
      }
      if (ctx.json) {
        ctx.io.out(JSON.stringify({ event: 'result', compare: result, written }));
      } else {
        for (const [i, side] of result.sides.entries()) {
          const label = `${String.fromCharCode(65 + i)} ${side.model}${side.direction ? ` ${side.direction}` : ''}`;
          const fidelity = side.psnr != null ? `, ${side.psnr.toFixed(2)} dB${side.ssim != null ? ` / SSIM ${side.ssim.toFixed(3)}` : ''} against the input when scaled back down` : '';
          if (side.output) ctx.io.out(`${label}: ${side.width}×${side.height} in ${side.seconds?.toFixed(1) ?? '?'} s${fidelity} → ${written[i === 0 ? 'a' : 'b']}`);
          else ctx.io.err(`${label}: ${side.state}${side.error ? `: ${side.error.code}: ${side.error.message}` : ''}`);
        }
        if (written.sideBySide) ctx.io.out(`side by side → ${written.sideBySide}`);
      }
      return result.sides.every((s) => s.output) ? EXIT.ok : EXIT.failed;
    });
  },
};
