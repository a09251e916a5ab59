// The options every task's per-item batch work receives, taken from the frozen batch spec.
import type { FrozenBatch } from './types.js';

export function itemOptions(spec: FrozenBatch) {
  return {
    model: spec.resolvedModel.dir ?? spec.resolvedModel.id,
    modelKind: spec.resolvedModel.kind,
    ...(spec.scale ? { scale: spec.scale } : {}),
    ...(spec.direction ? { direction: spec.direction } : {}),
    ...(spec.tile ? { tile: spec.tile } : {}),
    // 'input': each output's format follows its name (the plan kept the input's extension)
    ...(spec.format !== 'input' ? { format: spec.format } : {}),
    ...(spec.checkpoint ? { checkpoint: spec.checkpoint } : {}),
    quality: spec.quality,
    maxPixels: spec.maxPixels,
  };
}
