// `gan-studio upscale`: runs in this process (no workspace needed) through the same
// upscaleFile the batch runner calls per item. Folders are walked recursively and their tree is
// kept under --out; an existing file is never overwritten (a free name is picked instead).
import { access, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { EXIT, UsageError, choiceOpt, intOpt, stringOpt, type Command } from '../command.js';
import { AppError, toWireError } from '../../contract/errors.js';
import { BackendPref } from '../../contract/system.js';
import type { Reporter } from '../../common/reporter.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { formatFromPath, isPretrainedModel, loadUpscaler, releaseUpscalers, upscaleFile } from '../../inference/upscale.js';
import { RUN_REF_HELP, resolveModelOrRun } from './run-ref.js';
import type { OutputFormat } from '../../inference/image-io.js';
import { terminalText } from '../terminal-text.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff', '.gif', '.avif', '.heic']);
const FORMATS = ['png', 'jpg', 'webp'] as const;

export interface UpscaleItem {
  input: string;
  /** output path relative to --out, before the format's extension is applied */
  relative: string;
}

/** Files as given; folders walked recursively with their tree kept under the folder's own name. */
export async function collectInputs(inputs: string[]): Promise<UpscaleItem[]> {
  const items: UpscaleItem[] = [];
  for (const raw of inputs) {
    const path = resolve(raw);
    const info = await stat(path).catch(() => null);
    if (!info) throw new AppError('NOT_FOUND', `${raw}: no such file or folder`);
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true, recursive: true });
      for (const e of entries) {
        if (!e.isFile() || !IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) continue;
        const full = join(e.parentPath, e.name);
        items.push({ input: full, relative: join(basename(path), relative(path, full)) });
      }
    } else {
      items.push({ input: path, relative: basename(path) });
    }
  }
  return items.sort((a, b) => a.relative.localeCompare(b.relative));
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** `photo.png` → `photo.png`, or `photo-1.png`, `photo-2.png`... whichever is free (also among `taken`). */
export async function freeName(path: string, taken: Set<string>): Promise<string> {
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? path : `${stem}-${i}${ext}`;
    if (!taken.has(candidate) && !(await exists(candidate))) {
      taken.add(candidate);
      return candidate;
    }
  }
}

export const upscaleCommand: Command = {
  name: 'upscale',
  summary: 'Upscale images with a trained SR run or a pretrained ESRGAN',
  usage: 'gan-studio upscale --model RUN|esrgan-slim|esrgan-medium|esrgan-thick --scale S INPUT... --out DIR [--format png|jpg|webp] [--quality Q] [--tile N] [--backend B]',
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
    const format = choiceOpt(ctx.values, 'format', FORMATS);
    const quality = intOpt(ctx.values, 'quality');
    if (quality !== undefined && (quality < 1 || quality > 100)) throw new UsageError('--quality must be 1–100');
    const tile = intOpt(ctx.values, 'tile');
    if (tile !== undefined && tile < 16) throw new UsageError('--tile must be at least 16');
    const backendArg = stringOpt(ctx.values, 'backend') ?? 'auto';
    const backendPref = BackendPref.safeParse(backendArg);
    if (!backendPref.success) throw new UsageError(`--backend: unknown backend "${backendArg}"`);

    const model = resolveModelOrRun(modelArg, ctx.workspace, (m) => isPretrainedModel(m, scale));
    const items = await collectInputs(ctx.positionals);
    if (items.length === 0) throw new AppError('NOT_FOUND', `no images found in ${ctx.positionals.join(', ')}`);
    const backend = await ensureBackend(backendPref.data);
    if (!ctx.json) ctx.io.out(`upscaling ${items.length} image(s) with ${modelArg}${scale ? ` ×${scale}` : ''} on ${backend} → ${resolve(out)}`);
    const taken = new Set<string>();
    let failed = 0;
    try {
      // load once up front: a model that cannot load would fail every file
      const upscaler = await loadUpscaler(model, scale);
      if (scale !== undefined && upscaler.scale !== scale) throw new AppError('INVALID_ARGUMENT', `${model} upscales ×${upscaler.scale}, not ×${scale}; drop --scale or pass --scale ${upscaler.scale}`);
      for (const [index, item] of items.entries()) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        const fmt: OutputFormat = format ?? formatFromPath(item.input) ?? 'png';
        const ext = fmt === 'jpg' && /\.jpe?g$/i.test(item.input) ? extname(item.input) : `.${fmt}`;
        const target = await freeName(join(resolve(out), dirname(item.relative), basename(item.relative, extname(item.relative)) + ext), taken);
        const report: Reporter = {
          progress: (p) => { if (ctx.io.tty && !ctx.json) process.stdout.write(`\r  [${index + 1}/${items.length}] ${terminalText(item.relative)}: tile ${p.done}/${p.total}   `); },
          metrics() {},
          sample() {},
          log: (level, message) => ctx.io.err(`${level}: ${message}`),
        };
        try {
          const started = Date.now();
          const result = await upscaleFile(item.input, target, { model, scale, format: fmt, quality, tile }, { signal: ctx.signal, report });
          const seconds = (Date.now() - started) / 1000;
          if (ctx.io.tty && !ctx.json) process.stdout.write('\r');
          if (ctx.json) ctx.io.out(JSON.stringify({ event: 'file', input: item.input, output: result.output, width: result.width, height: result.height, scale: result.scale, seconds }));
          else ctx.io.out(`  [${index + 1}/${items.length}] ${item.relative} → ${relative(process.cwd(), result.output).startsWith('..') ? result.output : relative(process.cwd(), result.output)} (${result.width}×${result.height}, ${seconds.toFixed(1)} s)`);
        } catch (error) {
          const wire = toWireError(error);
          if (wire.code === 'CANCELLED' || ctx.signal.aborted) throw error;
          failed++;
          if (ctx.json) ctx.io.out(JSON.stringify({ event: 'file-failed', input: item.input, code: wire.code, message: wire.message }));
          else ctx.io.err(`  [${index + 1}/${items.length}] ${item.relative}: ${wire.code}: ${wire.message}`);
        }
      }
    } finally {
      releaseUpscalers();
    }
    if (ctx.json) ctx.io.out(JSON.stringify({ event: 'done', total: items.length, failed }));
    else ctx.io.out(`done: ${items.length - failed} upscaled${failed ? `, ${failed} failed` : ''}`);
    return failed ? EXIT.failed : EXIT.ok;
  },
};
