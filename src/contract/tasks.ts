// system:tasks — the tasks and the model families that train them, as src/tasks/ and the
// registry in src/models/ declare them: the one list the UI and the CLI show, so a new task or
// family appears everywhere without a hard-coded list to update.
import type { Task } from './common.js';
import { Empty, method } from './common.js';
import type { GalleryKind } from './gallery.js';
import type { PRESETS } from './runs.js';

/** A model family a task trains. */
export interface FamilyInfo {
  id: string;
  title: string;
  description: string;
  /** the presets its `resolve` fills defaults from */
  presets: ReadonlyArray<(typeof PRESETS)[number]>;
}

/** What the UI and the CLI need to know of a task, instead of branching on its id. */
export interface TaskInfo {
  id: Task;
  label: string;
  /** the gallery kind of its outputs */
  galleryKind: GalleryKind;
  /** a batch reads images (one output each) or makes images from seeds */
  batchInput: 'images' | 'seeds';
  /** a pretrained model can stand for a trained one (superres: the shipped ESRGANs) */
  pretrained: boolean;
  /** what a comparison needs per side */
  compare: { direction: boolean; scale: boolean; fidelity: boolean };
  /** its families, the default first */
  families: FamilyInfo[];
}

export const taskMethods = {
  'system:tasks': method<TaskInfo[]>()(Empty),
};
