// `gan-studio stylize`: translates images with a trained CycleGAN run, in this process (no
// workspace needed), through the same stylizeFile the batch runner calls per item. Folders are
// walked recursively with their tree kept under --out; existing files are never overwritten
// (a free name is picked instead), like `upscale`.
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { EXIT, UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { AppError, toWireError } from '../../contract/errors.js';
import { BackendPref } from '../../contract/system.js';
import type { Reporter } from '../../common/reporter.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { loadStylizer, releaseStylizers, stylizeFile } from '../../inference/stylize.js';
import type { OutputFormat } from '../../inference/image-io.js';
import { collectInputs, freeName } from './upscale.js';
import { RUN_REF_HELP, resolveRunDir } from './run-ref.js';
import { terminalText } from '../terminal-text.js';

const FORMATS = ['png', 'jpg', 'webp'] as const;

function formatOfInput(path: string): OutputFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpg';
  if (ext === '.webp') return 'webp';
  return null;
}

export const stylizeCommand: Command = {
  name: 'stylize',
  summary: 'Translate images with a trained CycleGAN run',
  usage: 'gan-studio stylize --model RUN --direction a2b|b2a INPUT... --out DIR [--format png|jpg|webp] [--quality Q] [--tile N] [--checkpoint NAME|best] [--backend B]',
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
    const format = choiceOpt(ctx.values, 'format', FORMATS);
    const quality = intOpt(ctx.values, 'quality');
    if (quality !== undefined && (quality < 1 || quality > 100)) throw new UsageError('--quality must be 1–100');
    const tile = intOpt(ctx.values, 'tile');
    if (tile !== undefined && tile < 16) throw new UsageError('--tile must be at least 16');
    const checkpoint = stringOpt(ctx.values, 'checkpoint');
    const backendArg = stringOpt(ctx.values, 'backend') ?? 'auto';
    const backendPref = BackendPref.safeParse(backendArg);
    if (!backendPref.success) throw new UsageError(`--backend: unknown backend "${backendArg}"`);

    const run = await resolveRunDir(runArg, ctx.workspace);
    const items = await collectInputs(ctx.positionals);
    if (items.length === 0) throw new AppError('NOT_FOUND', `no images found in ${ctx.positionals.join(', ')}`);
    const backend = await ensureBackend(backendPref.data);
    const taken = new Set<string>();
    let failed = 0;
    try {
      // load once up front: a run that cannot load would fail every file
      const stylizer = await loadStylizer(run, checkpoint);
      if (!ctx.json) ctx.io.out(`stylizing ${items.length} image(s) ${direction} with ${stylizer.runDir} (${stylizer.checkpoint}) on ${backend} → ${resolve(out)}`);
      for (const [index, item] of items.entries()) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        const fmt: OutputFormat = format ?? formatOfInput(item.input) ?? 'png';
        const ext = fmt === 'jpg' && /\.jpe?g$/i.test(item.input) ? extname(item.input) : `.${fmt}`;
        const target = await freeName(join(resolve(out), dirname(item.relative), basename(item.relative, extname(item.relative)) + ext), taken);
        const report: Reporter = {
          progress: (p) => { if (ctx.io.tty && !ctx.json && p.total > 1) process.stdout.write(`\r  [${index + 1}/${items.length}] ${terminalText(item.relative)}: tile ${p.done}/${p.total}   `); },
          metrics() {},
          sample() {},
          log: (level, message) => ctx.io.err(`${level}: ${message}`),
        };
        try {
          const started = Date.now();
          const result = await stylizeFile(item.input, target, { run, direction, format: fmt, quality, tile, checkpoint }, { signal: ctx.signal, report });
          const seconds = (Date.now() - started) / 1000;
          if (ctx.io.tty && !ctx.json) process.stdout.write('\r');
          if (ctx.json) ctx.io.out(JSON.stringify({ event: 'file', input: item.input, output: result.output, width: result.width, height: result.height, direction, seconds }));
          else ctx.io.out(`  [${index + 1}/${items.length}] ${item.relative} → ${relative(process.cwd(), result.output)} (${result.width}×${result.height}, ${seconds.toFixed(1)} s)`);
        } catch (error) {
          const wire = toWireError(error);
          if (wire.code === 'CANCELLED' || ctx.signal.aborted) throw error;
          failed++;
          if (ctx.json) ctx.io.out(JSON.stringify({ event: 'file-failed', input: item.input, code: wire.code, message: wire.message }));
          else ctx.io.err(`  [${index + 1}/${items.length}] ${item.relative}: ${wire.code}: ${wire.message}`);
        }
      }
    } finally {
      await releaseStylizers();
    }
    if (ctx.json) ctx.io.out(JSON.stringify({ event: 'done', total: items.length, failed }));
    else ctx.io.out(`done: ${items.length - failed} written, ${failed} failed`);
    return failed > 0 ? EXIT.failed : EXIT.ok;
  },
};
