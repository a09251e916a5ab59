// The simple data path: a folder of images, each resized to cover the square and centre-cropped
// (sharp), held in memory. Used when no workspace dataset stands for --data, and by the demos.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { AppError } from '../contract/errors.js';
import type { BatchSource } from '../data/types.js';
import type { TaskContext } from '../common/reporter.js';
import { memoryBatchSource } from './memory-source.js';
import { listImageFiles } from '../common/image-files.js';

/** One image as `size`×`size`×`channels` bytes; transparency is flattened onto white. */
export async function loadSquare(path: string, size: number, channels: 1 | 3): Promise<Buffer> {
  let pipeline = sharp(path, { failOn: 'error', limitInputPixels: 40_000_000 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(size, size, { fit: 'cover', position: 'centre' });
  pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, wanted ${channels}`);
  return data;
}

export async function folderSource(
  dir: string,
  opts: { size: number; channels: 1 | 3; seed: number; limit?: number; flip?: boolean },
  ctx?: TaskContext,
): Promise<BatchSource> {
  const files = (await listImageFiles(dir)).slice(0, opts.limit ?? 50_000);
  const pixels = opts.size * opts.size * opts.channels;
  const bytes = new Uint8Array(files.length * pixels);
  let count = 0;
  let skipped = 0;
  for (const file of files) {
    if (ctx?.signal.aborted) throw ctx.signal.reason;
    try {
      bytes.set(await loadSquare(file, opts.size, opts.channels), count * pixels);
      count++;
    } catch (error) {
      skipped++;
      ctx?.report.log('warn', `skipped ${file}: ${(error as Error).message}`);
    }
    ctx?.report.progress({ done: count + skipped, total: files.length, unit: 'file', eta: null });
  }
  if (count < 2) throw new AppError('INVALID_ARGUMENT', `${dir} holds ${count} readable image(s); training needs at least 2 (PNG, JPEG, WebP, GIF, BMP or TIFF)`);
  if (skipped) ctx?.report.log('warn', `${skipped} of ${files.length} files in ${dir} could not be read and were skipped`);
  const images = tf.tidy(() =>
    tf.tensor4d(bytes.subarray(0, count * pixels), [count, opts.size, opts.size, opts.channels], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor4D,
  );
  return memoryBatchSource(images, ['real'], opts.seed, { heldOutCount: Math.min(64, Math.floor(count / 10)), flip: opts.flip ?? false });
}
