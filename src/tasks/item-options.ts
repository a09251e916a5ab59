// The options every task's per-item batch work receives, taken from the frozen batch spec.
import type { FrozenBatch } from './types.js';

export function itemOptions(spec: FrozenBatch) {
  return {
    model: spec.resolvedModel.dir ?? spec.resolvedModel.id,
    modelKind: spec.resolvedModel.kind,
    ...(spec.scale ? { scale: spec.scale } : {}),
    ...(spec.direction ? { direction: spec.direction } : {}),
    ...(spec.tile ? { tile: spec.tile } : {}),
    format: spec.format,
    quality: spec.quality,
    maxPixels: spec.maxPixels,
  };
}
