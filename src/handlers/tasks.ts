// system:tasks — every task (src/tasks/) with the model families that train it (the registry
// in src/models/), so the UI's and the CLI's lists come from one place.
import type { Handlers } from '../contract/api.js';
import { TASKS } from '../contract/common.js';
import { PRESETS } from '../contract/runs.js';
import type { TaskInfo } from '../contract/tasks.js';
import { taskDefinition } from '../tasks/index.js';

type TaskHandlers = Pick<Handlers, 'system:tasks'>;

export async function listTaskInfo(): Promise<TaskInfo[]> {
  // lazy: the registry imports every family (and tfjs); listing datasets or runs never needs it
  const { listFamilies } = await import('../models/index.js');
  return TASKS.map((id) => {
    const t = taskDefinition(id);
    return {
      id, label: t.label, galleryKind: t.galleryKind, batchInput: t.batchInput, pretrained: t.pretrained, compare: { ...t.compare },
      families: listFamilies(id).map((f) => ({ id: f.id, title: f.title, description: f.description, presets: PRESETS })),
    };
  });
}

export function taskHandlers(): TaskHandlers {
  return { 'system:tasks': () => listTaskInfo() };
}
