// Preset resolution shared by families: the user's spec wins, then the preset, then nothing.
// The result is what gets hashed into checkpoints, so every knob that changes the math is in it.
import { AppError } from '../../contract/errors.js';
import type { TrainSpec } from '../../contract/runs.js';
import type { ResolvedSpec } from '../types.js';

export type PresetName = NonNullable<TrainSpec['preset']>;

/** Everything a preset fills; `extra` holds family-specific knobs. */
export type PresetValues = Pick<ResolvedSpec, 'size' | 'channels' | 'steps' | 'batch' | 'lr' | 'sampleEvery' | 'checkpointEvery' | 'keepCheckpoints'> & {
    loss: NonNullable<TrainSpec['loss']>;
    diffAugment: boolean;
    ema: boolean;
    /** random horizontal flips of training images; absent: the family has no such switch */
    flip?: boolean;
    extra: ResolvedSpec['extra'];
  };

export function resolveFromPresets(familyId: string, spec: TrainSpec, presets: Record<PresetName, PresetValues>): ResolvedSpec {
  const preset = spec.preset ?? 'default';
  const base = presets[preset];
  if (!base) throw new AppError('INVALID_ARGUMENT', `model "${familyId}" has no preset "${preset}"; use one of ${Object.keys(presets).join(', ')}`);
  if (spec.flip !== undefined && base.flip === undefined) {
    throw new AppError('INVALID_ARGUMENT', `model "${familyId}" has no flip option; drop --flip / --no-flip`);
  }
  const resolved: ResolvedSpec = {
    ...spec,
    preset,
    size: spec.size ?? base.size,
    channels: spec.channels ?? base.channels,
    steps: spec.steps ?? base.steps,
    batch: spec.batch ?? base.batch,
    lr: spec.lr ?? base.lr,
    loss: spec.loss ?? base.loss,
    diffAugment: spec.diffAugment ?? base.diffAugment,
    ema: spec.ema ?? base.ema,
    // only families whose data pipeline has the switch record it (superres crops flip as before)
    ...(base.flip !== undefined ? { flip: spec.flip ?? base.flip } : {}),
    sampleEvery: spec.sampleEvery ?? base.sampleEvery,
    checkpointEvery: spec.checkpointEvery ?? base.checkpointEvery,
    keepCheckpoints: spec.keepCheckpoints ?? base.keepCheckpoints,
    extra: { ...base.extra },
  };
  return resolved;
}

export function requireTask(familyId: string, spec: TrainSpec, task: TrainSpec['task']): void {
  if (spec.task !== task) {
    throw new AppError('INVALID_ARGUMENT', `model "${familyId}" is a ${task} model, but the run asks for task "${spec.task}"; use --task ${task} or pick a ${spec.task} model`);
  }
}
