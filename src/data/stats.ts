// What a dataset looks like at a glance: size/aspect histograms, channel kinds and formats, a
// mosaic of its first images; and the fixed held-out validation split.
import sharp from 'sharp';
import { join } from 'node:path';
import type { DatasetStats } from '../contract/datasets.js';
import type { ImageRecord } from '../workspace/datasets-repo.js';
import { writeFileDurable } from '../common/durable-write.js';

export const DEFAULT_VALIDATION_FRACTION = 0.05;

/**
 * How many images to hold out: `fraction` of them, but at least a few (up to 4, never more than
 * a quarter) so metrics have something to measure on small sets; none for a single image.
 */
export function validationCount(n: number, fraction = DEFAULT_VALIDATION_FRACTION): number {
  if (n < 2) return 0;
  return Math.max(Math.round(n * fraction), Math.min(4, Math.floor(n / 4)), 1);
}

/**
 * The validation images: the `count` smallest content hashes. Deterministic (same files → same
 * split on any machine, in any order) and unrelated to names or import order.
 */
export function chooseValidation(hashes: readonly string[], fraction = DEFAULT_VALIDATION_FRACTION): string[] {
  return [...hashes].sort().slice(0, validationCount(hashes.length, fraction));
}

function topN(counts: Map<string, number>, n: number): Array<[string, number]> {
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (sorted.length <= n) return sorted;
  const rest = sorted.slice(n - 1).reduce((s, [, c]) => s + c, 0);
  return [...sorted.slice(0, n - 1), ['other', rest]];
}

const ASPECT_BUCKETS: Array<[string, number]> = [
  ['≤1:2', 0.5], ['2:3', 0.75], ['3:4', 0.9], ['1:1', 1.12], ['4:3', 1.4], ['3:2', 1.9], ['≥2:1', Infinity],
];

export function computeStats(images: readonly Pick<ImageRecord, 'width' | 'height' | 'channels' | 'sourceFormat'>[]): DatasetStats {
  const sizes = new Map<string, number>();
  const aspects = new Map<string, number>(ASPECT_BUCKETS.map(([label]) => [label, 0]));
  const channels: Record<string, number> = {};
  const formats: Record<string, number> = {};
  for (const im of images) {
    const size = `${im.width}×${im.height}`;
    sizes.set(size, (sizes.get(size) ?? 0) + 1);
    const ratio = im.width / im.height;
    const bucket = ASPECT_BUCKETS.find(([, max]) => ratio <= max)![0];
    aspects.set(bucket, aspects.get(bucket)! + 1);
    channels[im.channels] = (channels[im.channels] ?? 0) + 1;
    formats[im.sourceFormat] = (formats[im.sourceFormat] ?? 0) + 1;
  }
  // Raw dimensions are kept for scatter plots, capped so a 100k-image set stays a small row.
  const step = Math.max(1, Math.ceil(images.length / 2000));
  const sample = images.filter((_, i) => i % step === 0);
  return {
    widths: sample.map((i) => i.width),
    heights: sample.map((i) => i.height),
    sizeHistogram: topN(sizes, 10),
    aspectHistogram: [...aspects.entries()].filter(([, c]) => c > 0),
    channels,
    formats,
  };
}

/**
 * A grid of up to `count` images (tile×tile each, centre-cropped, alpha flattened onto white),
 * written to `<datasetDir>/mosaic.png`. Returns the absolute path, or null for no images.
 */
export async function makeMosaic(root: string, datasetDir: string, images: readonly Pick<ImageRecord, 'path'>[], options: { count?: number; tile?: number; columns?: number } = {}): Promise<string | null> {
  const tile = options.tile ?? 64;
  const chosen = images.slice(0, options.count ?? 64);
  if (!chosen.length) return null;
  const columns = Math.min(options.columns ?? 8, chosen.length);
  const rows = Math.ceil(chosen.length / columns);
  const tiles = await Promise.all(chosen.map((im) =>
    sharp(join(root, im.path), { failOn: 'none' }).rotate().flatten({ background: '#ffffff' }).resize(tile, tile, { fit: 'cover' }).toColourspace('srgb').png().toBuffer(),
  ));
  const out = await sharp({ create: { width: columns * tile, height: rows * tile, channels: 3, background: '#ffffff' } })
    .composite(tiles.map((input, i) => ({ input, left: (i % columns) * tile, top: Math.floor(i / columns) * tile })))
    .png()
    .toBuffer();
  const path = join(datasetDir, 'mosaic.png');
  await writeFileDurable(path, out);
  return path;
}
