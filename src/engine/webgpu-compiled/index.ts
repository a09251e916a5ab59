// Which training step a run uses on webgpu, and why: the compiled step when the backend is
// webgpu and the family is compiled, tfjs's kernels otherwise — and on any compile failure.
// GAN_STUDIO_WEBGPU_STEP=compiled|tfjs|auto forces a path (tests, benches, bug reports).
import * as tf from '@tensorflow/tfjs';
import type { GanModel, StepRandom } from '../../models/types.js';
import { COMPILED_FAMILIES, compileGanStep, unsupportedReason, type CompiledStep } from './gan-step.js';

export { COMPILED_FAMILIES, compileGanStep, unsupportedReason, type CompiledStep };

export type StepPathPref = 'auto' | 'compiled' | 'tfjs';
export const STEP_PATH_ENV = 'GAN_STUDIO_WEBGPU_STEP';

export function stepPathPref(env: NodeJS.ProcessEnv = process.env): StepPathPref {
  const raw = (env[STEP_PATH_ENV] ?? 'auto').trim().toLowerCase();
  if (raw === 'compiled' || raw === 'tfjs' || raw === 'auto' || raw === '') return (raw || 'auto') as StepPathPref;
  throw new Error(`${STEP_PATH_ENV}=${raw}: use compiled, tfjs or auto`);
}

export interface StepPathChoice {
  path: 'compiled' | 'tfjs';
  /** one line for the training log and run info */
  reason: string;
  /** warn rather than inform: a forced or expected compiled step did not happen */
  warn: boolean;
  step: CompiledStep | null;
}

/** Compiles the model's step when it can; never throws (a failure is a tfjs-path choice with its reason). */
export async function chooseTrainStep(model: GanModel, random: StepRandom, pref: StepPathPref = stepPathPref()): Promise<StepPathChoice> {
  const tfjs = (reason: string, warn = false): StepPathChoice => ({ path: 'tfjs', reason, warn: warn || pref === 'compiled', step: null });
  if (tf.getBackend() !== 'webgpu') return tfjs(`tfjs kernels (backend ${tf.getBackend()}; the compiled step is webgpu-only)`);
  if (pref === 'tfjs') return tfjs(`tfjs-webgpu kernels (forced by ${STEP_PATH_ENV}=tfjs)`);
  const why = unsupportedReason(model);
  if (why) return tfjs(`tfjs-webgpu kernels: ${why}`);
  try {
    const step = await compileGanStep(model, random);
    return {
      path: 'compiled',
      reason: `compiled WebGPU step: ${step.dispatchesPerStep} dispatches in one command buffer, arena ${(step.arenaBytes / 2 ** 20).toFixed(1)} MiB`,
      warn: false,
      step,
    };
  } catch (error) {
    return tfjs(`tfjs-webgpu kernels: compiling the step failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/** What doctor says about the training step on webgpu (nothing is compiled to answer). */
export function describeStepPaths(chosenBackend: string, pref: StepPathPref = stepPathPref()): string {
  const families = COMPILED_FAMILIES.join(', ');
  if (pref === 'tfjs') return `Training step: tfjs kernels (forced by ${STEP_PATH_ENV}=tfjs).`;
  const where = chosenBackend === 'webgpu' ? 'On this machine' : 'When the backend is webgpu';
  return `Training step: ${where}, ${families} (DiffAugment included) train through the compiled WebGPU step ` +
    `(one command buffer per step); other models and settings use tfjs kernels, and a run's log says which it got and why. ` +
    `Force with ${STEP_PATH_ENV}=compiled|tfjs.`;
}
