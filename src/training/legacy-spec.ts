// Settings added after runs were already saved. A run saved before a setting existed has no value
// for it, and must resume doing what it did then — not the new default. Each such setting names
// the value old runs effectively had; a spec carrying exactly that value hashes as if the field
// were absent, so the old runs' config hashes still match and they resume.
import type { TrainSpec, TrainSpecInput } from '../contract/runs.js';

type SpecLike = Pick<TrainSpec, 'task' | 'datasetId' | 'flip'>;

/**
 * What the data pipeline did before `flip` was a setting: workspace datasets for generation
 * flipped half the images, a plain --data folder never did, CycleGAN flipped (the paper's
 * recipe). Other tasks have no flip switch (undefined).
 */
export function legacyFlip(spec: SpecLike): boolean | undefined {
  if (spec.task === 'generate') return Boolean(spec.datasetId);
  if (spec.task === 'cyclegan') return true;
  return undefined;
}

/** Fields to leave out of the config hash: those equal to what runs did before the field existed. */
export function legacyEqualFields(spec: SpecLike): string[] {
  return spec.flip !== undefined && spec.flip === legacyFlip(spec) ? ['flip'] : [];
}

/**
 * The spec a resume should train with. `saved` is the run's own resolved spec (spec.json or its
 * checkpoint). A setting the caller leaves out comes from the run itself — and when the run
 * predates the setting, from what it did then: a run saved before `flip` existed keeps flipping
 * (or not) as it started, on every later resume too (the catalog's copy of its spec never
 * learns the field).
 */
export function withLegacyDefaults(input: TrainSpecInput, saved: SpecLike | null | undefined): TrainSpecInput {
  if (!saved || input.flip !== undefined) return input;
  const flip = 'flip' in saved ? saved.flip : legacyFlip(saved);
  return flip === undefined ? input : { ...input, flip };
}
