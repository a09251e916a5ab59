// What a task is, as plain data. The task's definition (src/tasks/<id>/) spreads it, system:tasks
// serves it, and the renderer reads it from here — the one contract module it may import as a
// value, because it is data with type-only imports (no zod in the bundle) — so forms and views
// ask "two datasets? a scale? made from seeds?" instead of branching on the task's id.
import type { Task } from './common.js';
import type { GalleryKind } from './gallery.js';

/** What the UI, the CLI and the engine know of a task without running any of its code. */
export interface TaskTraits {
  /** how the UI and the CLI name the task */
  label: string;
  /** the gallery kind of its outputs */
  galleryKind: GalleryKind;
  /** a batch reads images (one output each) or makes images from seeds */
  batchInput: 'images' | 'seeds';
  /** a pretrained model can stand for a trained one (superres: the shipped ESRGANs) */
  pretrained: boolean;
  /** what a comparison needs per side; `direction`: outputs go A→B or B→A (batches pick one too) */
  compare: { direction: boolean; scale: boolean; fidelity: boolean };
  /** what training reads: one dataset, or two unpaired sets (A and B) */
  trainData: 'dataset' | 'unpaired';
  /** the upscaling factors a run offers; empty where outputs keep the input's size */
  scales: ReadonlyArray<2 | 3 | 4>;
  /** horizontal flips while training: off or on by default, or null where they do not apply */
  flipDefault: boolean | null;
  /** Advanced settings offers a choice of adversarial loss */
  lossChoice: boolean;
  /** the i18n key of a hint under the dataset picker, where the data must be something particular */
  datasetHint?: string;
}

export const TASK_TRAITS: { readonly [K in Task]: Readonly<TaskTraits> } = {
  generate: {
    label: 'Generation', galleryKind: 'generation', batchInput: 'seeds', pretrained: false,
    compare: { direction: false, scale: false, fidelity: false },
    // no flips by default: digits, text, logos and most emoji are not mirror-symmetric (#21)
    trainData: 'dataset', scales: [], flipDefault: false, lossChoice: true,
  },
  superres: {
    label: 'Super-resolution', galleryKind: 'upscale', batchInput: 'images', pretrained: true,
    compare: { direction: false, scale: true, fidelity: true },
    trainData: 'dataset', scales: [2, 3, 4], flipDefault: null, lossChoice: false, datasetHint: 'train.form.superresHint',
  },
  cyclegan: {
    label: 'Style transfer (CycleGAN)', galleryKind: 'translation', batchInput: 'images', pretrained: false,
    compare: { direction: true, scale: false, fidelity: false },
    // the paper's recipe flips both sets
    trainData: 'unpaired', scales: [], flipDefault: true, lossChoice: false,
  },
};
