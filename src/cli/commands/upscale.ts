// `gan-studio upscale`: a client of batch:start (src/cli/batch-client.ts) — the batch's folder
// walk, output naming (`a.jpg` → `a.jpg.png` with --format png; a taken name gets ` (2)`), engine
// and per-item report, printed as one line per file. Without --format each file keeps its format.
import { resolve } from 'node:path';
import { UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { OUTPUT_FORMATS } from '../../contract/batch.js';
import { BackendPref } from '../../contract/system.js';
import { isPretrainedModel } from '../../inference/upscalers.js';
import { RUN_REF_HELP, resolveModelOrRun } from './run-ref.js';
import { runAsBatch } from '../batch-client.js';
import { imageSize } from '../../handlers/image-size.js';

/** The factor a written file was upscaled by, from the input's header (null for a zip entry or a BMP/TIFF input). */
function scaleOf(item: { input: string; width: number }): number | null {
  const input = imageSize(item.input);
  return input?.width ? Math.round(item.width / input.width) : null;
}

export const upscaleCommand: Command = {
  name: 'upscale',
  summary: 'Upscale images with a trained SR run or a pretrained ESRGAN',
  usage: 'gan-studio upscale --model RUN|MODEL_ID|FILE.safetensors|FILE.onnx|esrgan-slim|esrgan-medium|esrgan-thick --scale S INPUT... --out DIR [--format png|jpg|webp] [--quality Q] [--tile N] [--backend B]',
  options: {
    'model': { type: 'string' },
    'scale': { type: 'string' },
    'out': { type: 'string' },
    'format': { type: 'string' },
    'quality': { type: 'string' },
    'tile': { type: 'string' },
    'backend': { type: 'string' },
  },
  minPositionals: 1,
  async run(ctx) {
    const modelArg = stringOpt(ctx.values, 'model');
    const out = stringOpt(ctx.values, 'out');
    if (!modelArg) throw new UsageError(`--model is required (esrgan-slim|esrgan-medium|esrgan-thick, or ${RUN_REF_HELP})`);
    if (!out) throw new UsageError('--out DIR is required');
    const scale = intOpt(ctx.values, 'scale');
    if (scale !== undefined && ![2, 3, 4].includes(scale)) throw new UsageError('--scale must be 2, 3 or 4');
    const format = choiceOpt(ctx.values, 'format', OUTPUT_FORMATS);
    const quality = intOpt(ctx.values, 'quality');
    if (quality !== undefined && (quality < 1 || quality > 100)) throw new UsageError('--quality must be 1–100');
    const tile = intOpt(ctx.values, 'tile');
    if (tile !== undefined && tile < 16) throw new UsageError('--tile must be at least 16');
    const backendArg = stringOpt(ctx.values, 'backend') ?? 'auto';
    const backend = BackendPref.safeParse(backendArg);
    if (!backend.success) throw new UsageError(`--backend: unknown backend "${backendArg}"`);

    const model = resolveModelOrRun(modelArg, ctx.workspace, (m) => isPretrainedModel(m, scale));
    return runAsBatch(ctx, {
      task: 'superres', model, inputs: ctx.positionals, out, format: format ?? 'input', backend: backend.data,
      ...(scale !== undefined ? { scale: scale as 2 | 3 | 4 } : {}),
      ...(quality !== undefined ? { quality } : {}),
      ...(tile !== undefined ? { tile } : {}),
    }, {
      header: (s) => `upscaling ${s.count} image(s) with ${modelArg}${scale ? ` ×${scale}` : ''} on ${s.backend} → ${resolve(out)}`,
      fileFields: (item) => ({ scale: scaleOf(item) ?? scale ?? null }),
      summary: (c) => `done: ${c.ok} upscaled${c.skipped ? `, ${c.skipped} already done` : ''}${c.failed ? `, ${c.failed} failed` : ''}`,
    });
  },
};
