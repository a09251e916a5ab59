// Per-item work of a batch, by task. Each processor reads one input and writes one output file;
// the models come from the modules that own them (superres: upscaleFile, cyclegan: stylizeFile,
// generate: generateImages), loaded when a batch of that task starts.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BatchSpec } from '../../contract/batch.js';
import { AppError } from '../../contract/errors.js';
import type { TaskContext } from '../../common/reporter.js';
import type { PlannedItem } from './plan.js';

/** The model a batch uses, resolved by the host when queued. */
export interface BatchModel {
  kind: 'run' | 'pretrained' | 'imported';
  id: string;
  /** run folder or imported model folder */
  dir?: string;
}

export type FrozenBatch = BatchSpec & { resolvedModel: BatchModel; maxPixels: number; outDir: string; jobDir: string };

export type ItemProcessor = (input: string | null, output: string, item: PlannedItem, ctx: TaskContext) => Promise<void>;

interface ItemOptions {
  model: string;
  modelKind: BatchModel['kind'];
  scale?: number;
  direction?: 'a2b' | 'b2a';
  tile?: number;
  format: BatchSpec['format'];
  quality: number;
  maxPixels: number;
}

export async function loadProcessor(spec: FrozenBatch): Promise<ItemProcessor> {
  const opts: ItemOptions = {
    model: spec.resolvedModel.dir ?? spec.resolvedModel.id,
    modelKind: spec.resolvedModel.kind,
    ...(spec.scale ? { scale: spec.scale } : {}),
    ...(spec.direction ? { direction: spec.direction } : {}),
    ...(spec.tile ? { tile: spec.tile } : {}),
    format: spec.format,
    quality: spec.quality,
    maxPixels: spec.maxPixels,
  };
  if (spec.task === 'superres') {
    const { upscaleFile } = await import('../../inference/upscale.js');
    return async (input, output, _item, ctx) => void (await upscaleFile(input!, output, opts, ctx));
  }
  if (spec.task === 'cyclegan') {
    const { stylizeFile } = await import('../../inference/stylize.js');
    const direction = spec.direction;
    if (!direction) throw new AppError('INVALID_ARGUMENT', 'a cyclegan batch needs direction a2b or b2a');
    return async (input, output, _item, ctx) => void (await stylizeFile(input!, output, { ...opts, direction }, ctx));
  }
  const gen = await import('../../inference/generate.js');
  return async (_input, output, item, ctx) => {
    // one image per item (seed + index), so a paused or rerun batch redoes nothing it finished
    const tmp = await mkdtemp(join(dirname(output), '.gen-'));
    try {
      const { files: items } = await gen.generateImages(spec.resolvedModel.dir!, { count: 1, seed: (spec.seed ?? 0) + item.seq, format: spec.format, quality: spec.quality }, tmp, ctx);
      if (!items[0]) throw new Error('the generator wrote no image');
      await rename(items[0], output);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
}
