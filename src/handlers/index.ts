// Every handler of the contract, one object per area, merged. `satisfies Handlers` makes a
// missing or mistyped method a compile error.
import type { Handlers } from '../contract/api.js';
import type { AppContext } from './app-context.js';
import { batchHandlers } from './batch.js';
import { compareHandlers } from './compare.js';
import { datasetsHandlers } from './datasets.js';
import { galleryHandlers } from './gallery.js';
import { jobsHandlers } from './jobs.js';
import { modelsHandlers } from './models.js';
import { runsHandlers } from './runs.js';
import { queueHandlers } from './queue.js';
import { settingsHandlers } from './settings.js';
import { systemHandlers } from './system.js';
import { taskHandlers } from './tasks.js';

export function createHandlers(ctx: AppContext): Handlers {
  return {
    ...systemHandlers(ctx),
    ...taskHandlers(),
    ...datasetsHandlers(ctx),
    ...runsHandlers(ctx),
    ...jobsHandlers(ctx),
    ...batchHandlers(ctx),
    ...galleryHandlers(ctx),
    ...modelsHandlers(ctx),
    ...compareHandlers(ctx),
    ...settingsHandlers(ctx),
    ...queueHandlers(ctx),
  } satisfies Handlers;
}

