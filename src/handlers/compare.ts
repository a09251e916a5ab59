// compare:* — two SR or style models on one input. The input is copied into the workspace (so
// both outputs get a before/after in the gallery), each side is queued as an ordinary batch job
// writing into <gallery>/compare/<id>/a|b, and compare:get reads the jobs back. The side-by-side
// PNG is composed lazily, the first time both sides are seen done.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { readJsonFile } from '../common/json-file.js';
import { writeFileDurable } from '../common/durable-write.js';
import type { Handlers } from '../contract/api.js';
import { BatchSpec, type BatchReport } from '../contract/batch.js';
import type { CompareResult, CompareSide, CompareSideResult } from '../contract/compare.js';
import { AppError, type ErrorCode } from '../contract/errors.js';
import type { RawImage } from '../data/image-io.js';
import { psnrY, ssimY } from '../metrics/psnr-ssim.js';
import { getGalleryItem } from '../workspace/gallery-repo.js';
import { batchItems, getJob } from '../workspace/jobs-repo.js';
import { batchHandlers, DEFAULT_MAX_PIXELS, jobDir } from './batch.js';
import { taskDefinition } from '../tasks/index.js';
import type { AppContext } from './app-context.js';
import { workspaceRelative } from './gallery-record.js';

type CompareHandlers = Pick<Handlers, 'compare:start' | 'compare:get'>;

/** What compare.json keeps: enough to rebuild the result from the jobs. */
type CompareRecord = Omit<CompareResult, 'sides' | 'sideBySide'> & { sides: Array<CompareSide & { jobId: string }> };

const RECORD = 'compare.json';
const SIDE_BY_SIDE = 'side-by-side.png';
const METRICS = 'fidelity.json';
/** the gap between the two pictures in the side-by-side PNG, in pixels */
const GAP = 8;

export function compareDir(ctx: AppContext, id: string): string {
  return join(ctx.ws.layout.gallery, 'compare', id);
}

export function compareHandlers(ctx: AppContext): CompareHandlers {
  // Paths the handler builds itself lie in the workspace: they skip the server's --allow check,
  // which exists for paths a client names.
  const internal = batchHandlers({ ...ctx, userPath: async (p) => p });
  return {
    'compare:start': async (spec) => {
      const source = await resolveInput(ctx, spec.input, spec.galleryId);
      const meta = await sharp(source, { limitInputPixels: DEFAULT_MAX_PIXELS }).metadata().catch(() => null);
      if (!meta?.width || !meta.height) throw new AppError('CORRUPT_IMAGE', `${source} is not a readable image; pick a PNG, JPEG or WebP file`);
      if (taskDefinition(spec.task).compare.direction && spec.sides.some((s) => !s.direction)) throw new AppError('INVALID_ARGUMENT', 'style transfer needs a direction (a2b or b2a) for each model');
      const id = `cmp-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
      const dir = compareDir(ctx, id);
      await mkdir(dir, { recursive: true });
      // the copy keeps the file's own name, so both outputs (a/<name>, b/<name>) carry it too
      const stem = basename(source, extname(source)).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'input';
      await mkdir(join(dir, 'input'), { recursive: true });
      const input = join(dir, 'input', `${stem}${extname(source).toLowerCase() || '.png'}`);
      await copyFile(source, input);
      const sides: CompareRecord['sides'] = [];
      for (const [index, side] of spec.sides.entries()) {
        const batch = BatchSpec.parse({
          task: spec.task, model: side.model, inputs: [input], out: join(dir, index === 0 ? 'a' : 'b'),
          ...(side.direction ? { direction: side.direction } : {}), ...(side.scale ? { scale: side.scale } : {}),
          ...(spec.tile ? { tile: spec.tile } : {}),
        });
        const { jobId } = await internal['batch:start']({ spec: batch });
        sides.push({ ...side, jobId });
      }
      const record: CompareRecord = {
        id, task: spec.task, input: workspaceRelative(ctx.ws, input)!, inputWidth: meta.width, inputHeight: meta.height, createdAt: Date.now(), sides,
      };
      await writeFileDurable(join(dir, RECORD), JSON.stringify(record, null, 2));
      return resultOf(ctx, record);
    },
    'compare:get': async ({ id }) => {
      const file = join(compareDir(ctx, id), RECORD);
      if (!existsSync(file)) throw new AppError('NOT_FOUND', `no comparison ${id}; start one with compare:start (gan-studio compare)`);
      return resultOf(ctx, await readJsonFile<CompareRecord>(file, { what: 'comparison record', fix: `delete the folder ${compareDir(ctx, id)} and run the comparison again` }));
    },
  };
}

async function resolveInput(ctx: AppContext, input: string | undefined, galleryId: string | undefined): Promise<string> {
  if (galleryId) {
    const item = getGalleryItem(ctx.ws.catalog, galleryId);
    if (!item) throw new AppError('NOT_FOUND', `no gallery item ${galleryId}`);
    // an upscale or translation is compared on what it was made from, not on its own output
    return join(ctx.ws.root, item.beforePath ?? item.path);
  }
  if (!input) throw new AppError('INVALID_ARGUMENT', 'compare needs an input image (a path or a gallery item)');
  const path = await ctx.userPath(input);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', `${input}: no such image file; pick one image, not a folder`);
  return path;
}

async function sideResult(ctx: AppContext, side: CompareRecord['sides'][number]): Promise<CompareSideResult> {
  const job = getJob(ctx.ws.catalog, side.jobId);
  const base = { ...side, output: null, width: null, height: null, bytes: null, seconds: null, wallSeconds: null };
  if (!job) return { ...base, state: 'failed', error: { code: 'NOT_FOUND', message: `job ${side.jobId} is gone from the catalog` } };
  const item = job.state === 'done' ? batchItems(ctx.ws.catalog, side.jobId)[0] : undefined;
  const error = job.error ?? (item && item.status === 'failed' ? { code: (item.code ?? 'INTERNAL') as ErrorCode, message: item.message ?? 'failed' } : null);
  if (!item?.output || item.status === 'failed') return { ...base, state: error && job.state === 'done' ? 'failed' : job.state, error };
  const meta = await sharp(item.output).metadata().catch(() => null);
  const bytes = (await stat(item.output).catch(() => null))?.size ?? null;
  const wallSeconds = job.startedAt && job.endedAt ? (job.endedAt - job.startedAt) / 1000 : null;
  const itemMs = await itemTime(ctx, side.jobId);
  return {
    ...base, state: job.state, error: null, output: workspaceRelative(ctx.ws, item.output), width: meta?.width ?? null, height: meta?.height ?? null, bytes,
    seconds: itemMs !== null ? itemMs / 1000 : wallSeconds, wallSeconds,
  };
}

/**
 * The one item's own processing time from the job's report: the job's wall time also holds the
 * backend start-up (first job after the engine starts) and the second side's wait in the queue,
 * which would make whichever side ran first look slower. The catalog rows do not keep it.
 */
async function itemTime(ctx: AppContext, jobId: string): Promise<number | null> {
  try {
    const report = JSON.parse(await readFile(join(jobDir(ctx, jobId), 'report.json'), 'utf8')) as BatchReport;
    const ms = report.items[0]?.ms;
    return typeof ms === 'number' ? ms : null;
  } catch {
    return null;
  }
}

async function resultOf(ctx: AppContext, record: CompareRecord): Promise<CompareResult> {
  const sides = [await sideResult(ctx, record.sides[0]!), await sideResult(ctx, record.sides[1]!)] as [CompareSideResult, CompareSideResult];
  let sideBySide: string | null = null;
  if (sides.every((s) => s.output)) {
    const dir = compareDir(ctx, record.id);
    const file = join(dir, SIDE_BY_SIDE);
    if (!existsSync(file)) await composeSideBySide(sides.map((s) => join(ctx.ws.root, s.output!)), file);
    sideBySide = workspaceRelative(ctx.ws, file);
    if (taskDefinition(record.task).compare.fidelity) {
      const scores = await cachedFidelity(join(dir, METRICS), join(ctx.ws.root, record.input), sides.map((s) => join(ctx.ws.root, s.output!)));
      sides.forEach((s, i) => Object.assign(s, scores[i]));
    }
  }
  return { id: record.id, task: record.task, input: record.input, inputWidth: record.inputWidth, inputHeight: record.inputHeight, createdAt: record.createdAt, sides, sideBySide };
}

type Fidelity = { psnr: number | null; ssim: number | null };

/** Computed once per comparison (a few ms for small images, but every compare:get would repeat it). */
async function cachedFidelity(cache: string, input: string, outputs: string[]): Promise<Fidelity[]> {
  // a cache: a damaged one is recomputed
  if (existsSync(cache)) {
    const cached = await readFile(cache, 'utf8').then((t) => JSON.parse(t) as Fidelity[], () => null);
    if (cached) return cached;
  }
  const scores = await Promise.all(outputs.map((o) => fidelity(input, o)));
  await writeFileDurable(cache, JSON.stringify(scores));
  return scores;
}

/** The output scaled back down to the input's size against the input, on luma (see the contract). */
export async function fidelity(input: string, output: string): Promise<Fidelity> {
  const flat = (s: Sharp) => s.flatten({ background: '#ffffff' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const raw = (x: { data: Buffer; info: OutputInfo }): RawImage => ({
    data: new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.length), width: x.info.width, height: x.info.height, channels: x.info.channels as RawImage['channels'],
  });
  try {
    const a = await flat(sharp(input));
    const b = await flat(sharp(output).resize(a.info.width, a.info.height, { kernel: 'cubic', fit: 'fill' }));
    const psnr = psnrY(raw(a), raw(b));
    let ssim: number | null = null;
    try {
      ssim = ssimY(raw(a), raw(b));
    } catch {
      ssim = null; // under 11 px: no SSIM window fits
    }
    return { psnr: Number.isFinite(psnr) ? psnr : null, ssim };
  } catch {
    return { psnr: null, ssim: null };
  }
}

/** Both pictures at the taller one's height, left to right, on a neutral gap. */
export async function composeSideBySide(paths: string[], dest: string): Promise<void> {
  const metas = await Promise.all(paths.map((p) => sharp(p).metadata()));
  const height = Math.max(...metas.map((m) => m.height ?? 1));
  const parts = await Promise.all(paths.map((p, i) => {
    const m = metas[i]!;
    const width = Math.max(1, Math.round(((m.width ?? 1) * height) / (m.height ?? 1)));
    return sharp(p).resize(width, height, { kernel: 'nearest' }).flatten({ background: '#ffffff' }).removeAlpha().png().toBuffer({ resolveWithObject: true });
  }));
  const width = parts.reduce((sum, p) => sum + p.info.width, 0) + GAP * (parts.length - 1);
  let left = 0;
  const composites = parts.map((p) => {
    const c = { input: p.data, left, top: 0 };
    left += p.info.width + GAP;
    return c;
  });
  await writeFileDurable(dest, await sharp({ create: { width, height, channels: 3, background: '#808080' } }).composite(composites).png().toBuffer());
}
