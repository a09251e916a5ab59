// `gan-studio stylize`: translates images with a trained CycleGAN run (or an imported style
// model) as a client of batch:start (src/cli/batch-client.ts) — the batch's folder walk, output
// naming, engine and per-item report, like `upscale`. Without --format each file keeps its format.
import { resolve } from 'node:path';
import { UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { OUTPUT_FORMATS } from '../../contract/batch.js';
import { BackendPref } from '../../contract/system.js';
import { RUN_REF_HELP, modelFileArg, resolveRunDir } from './run-ref.js';
import { runAsBatch } from '../batch-client.js';

export const stylizeCommand: Command = {
  name: 'stylize',
  summary: 'Translate images with a trained CycleGAN run',
  usage: 'gan-studio stylize --model RUN|MODEL_ID|FILE.onnx --direction a2b|b2a INPUT... --out DIR [--format png|jpg|webp] [--quality Q] [--tile N] [--checkpoint NAME|best] [--backend B]',
  options: {
    'model': { type: 'string' },
    'direction': { type: 'string' },
    'out': { type: 'string' },
    'format': { type: 'string' },
    'quality': { type: 'string' },
    'tile': { type: 'string' },
    'checkpoint': { type: 'string' },
    'backend': { type: 'string' },
  },
  renamed: { run: 'model' },
  minPositionals: 1,
  async run(ctx) {
    const runArg = stringOpt(ctx.values, 'model');
    const out = stringOpt(ctx.values, 'out');
    if (!runArg) throw new UsageError(`--model RUN is required (a CycleGAN run: ${RUN_REF_HELP}, or an imported model)`);
    if (!out) throw new UsageError('--out DIR is required');
    const direction = choiceOpt(ctx.values, 'direction', ['a2b', 'b2a'] as const);
    if (!direction) throw new UsageError('--direction a2b|b2a is required (a2b translates set A images into the style of set B)');
    const format = choiceOpt(ctx.values, 'format', OUTPUT_FORMATS);
    const quality = intOpt(ctx.values, 'quality');
    if (quality !== undefined && (quality < 1 || quality > 100)) throw new UsageError('--quality must be 1–100');
    const tile = intOpt(ctx.values, 'tile');
    if (tile !== undefined && tile < 16) throw new UsageError('--tile must be at least 16');
    const checkpoint = stringOpt(ctx.values, 'checkpoint');
    const backendArg = stringOpt(ctx.values, 'backend') ?? 'auto';
    const backend = BackendPref.safeParse(backendArg);
    if (!backend.success) throw new UsageError(`--backend: unknown backend "${backendArg}"`);

    // a model file (.onnx) by its path, else a run or imported model
    const run = modelFileArg(runArg) ?? await resolveRunDir(runArg, ctx.workspace);
    return runAsBatch(ctx, {
      task: 'cyclegan', model: run, inputs: ctx.positionals, out, direction, format: format ?? 'input', backend: backend.data,
      ...(quality !== undefined ? { quality } : {}),
      ...(tile !== undefined ? { tile } : {}),
      ...(checkpoint !== undefined ? { checkpoint } : {}),
    }, {
      header: (s) => `stylizing ${s.count} image(s) ${direction} with ${s.loaded} on ${s.backend} → ${resolve(out)}`,
      fileFields: () => ({ direction }),
      summary: (c) => `done: ${c.ok} written${c.skipped ? `, ${c.skipped} already done` : ''}, ${c.failed} failed`,
    });
  },
};
