// `gan-studio eval --task superres`: the SR literature's protocol. Each HR image is cropped to a
// multiple of the scale, downscaled with (MATLAB-style) bicubic, then brought back up by the
// model and by bicubic; PSNR/SSIM on Y with `scale` border pixels cropped.
import sharp from 'sharp';
import { AppError } from '../../contract/errors.js';
import type { TaskContext } from '../../common/reporter.js';
import { loadUpscaler, upscaleImage } from '../../inference/upscale.js';
import type { RawImage } from '../../data/image-io.js';
import { psnrY, ssimY } from '../../metrics/psnr-ssim.js';
import { resizeBicubic, type Pixels } from '../../data/sr-degrade.js';
import { listImageFiles } from '../../common/image-files.js';

export interface SuperresScores {
  psnr: number;
  ssim: number;
}

export interface SuperresEvalRow {
  image: string;
  width: number;
  height: number;
  model: SuperresScores;
  bicubic: SuperresScores;
}

export interface SuperresEvalReport {
  model: string;
  scale: number;
  images: SuperresEvalRow[];
  mean: { model: SuperresScores; bicubic: SuperresScores; gainDb: number };
}

export interface SuperresEvalOptions {
  model: string;
  scale: number;
  /** a folder of HR images, or explicit files */
  data: string | string[];
  limit?: number;
  tile?: number;
}

const toRaw = (p: Pixels): RawImage => ({
  data: Uint8Array.from(p.data, (v) => Math.min(255, Math.max(0, Math.round(v)))),
  width: p.width,
  height: p.height,
  channels: p.channels as RawImage['channels'],
});

async function loadHr(path: string, scale: number): Promise<Pixels> {
  const { data, info } = await sharp(path, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  // crop to a multiple of the scale (the "modcrop" of SR benchmarks)
  const width = info.width - (info.width % scale);
  const height = info.height - (info.height % scale);
  const c = info.channels;
  const out = new Float32Array(width * height * c);
  for (let y = 0; y < height; y++) out.set(data.subarray(y * info.width * c, (y * info.width + width) * c), y * width * c);
  return { data: out, width, height, channels: c };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export async function evalSuperres(opts: SuperresEvalOptions, ctx: TaskContext): Promise<SuperresEvalReport> {
  const { scale } = opts;
  let files = Array.isArray(opts.data) ? opts.data : await listImageFiles(opts.data);
  if (opts.limit) files = files.slice(0, opts.limit);
  if (files.length === 0) throw new AppError('NOT_FOUND', `no images to evaluate in ${String(opts.data)}`);
  const upscaler = await loadUpscaler(opts.model, scale);
  if (upscaler.scale !== scale) throw new AppError('INVALID_ARGUMENT', `${opts.model} upscales ×${upscaler.scale}, not ×${scale}`);
  const rows: SuperresEvalRow[] = [];
  for (const [i, file] of files.entries()) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const hr = await loadHr(file, scale);
    const minSide = Math.min(hr.width, hr.height);
    if (minSide < scale * 2 + 11 || minSide / scale < 4) {
      ctx.report.log('warn', `skipped ${file}: ${hr.width}×${hr.height} is too small to measure at ×${scale}`);
      continue;
    }
    const lr = toRaw(resizeBicubic(hr, hr.width / scale, hr.height / scale));
    const lrPixels: Pixels = { data: Float32Array.from(lr.data), width: lr.width, height: lr.height, channels: lr.channels };
    const bicubic = toRaw(resizeBicubic(lrPixels, hr.width, hr.height));
    const sr = await upscaleImage(upscaler, lr, { tile: opts.tile }, { signal: ctx.signal, report: { ...ctx.report, progress() {} } });
    const hrRaw = toRaw(hr);
    rows.push({
      image: file,
      width: hr.width,
      height: hr.height,
      model: { psnr: psnrY(sr, hrRaw, { crop: scale }), ssim: ssimY(sr, hrRaw, { crop: scale }) },
      bicubic: { psnr: psnrY(bicubic, hrRaw, { crop: scale }), ssim: ssimY(bicubic, hrRaw, { crop: scale }) },
    });
    ctx.report.progress({ done: i + 1, total: files.length, unit: 'image' });
  }
  if (rows.length === 0) throw new AppError('INVALID_ARGUMENT', 'every image was too small to evaluate');
  const m = { psnr: mean(rows.map((r) => r.model.psnr)), ssim: mean(rows.map((r) => r.model.ssim)) };
  const b = { psnr: mean(rows.map((r) => r.bicubic.psnr)), ssim: mean(rows.map((r) => r.bicubic.ssim)) };
  return { model: opts.model, scale, images: rows, mean: { model: m, bicubic: b, gainDb: m.psnr - b.psnr } };
}
