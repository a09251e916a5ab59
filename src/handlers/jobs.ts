// jobs:* — the queue as the user sees it. A job another live process owns answers with the
// request it recorded for that owner (see src/jobs/remote-control.ts).
import type { Handlers } from '../contract/api.js';
import type { AppContext } from './app-context.js';

type JobsHandlers = Pick<Handlers, 'jobs:list' | 'jobs:get' | 'jobs:pause' | 'jobs:resume' | 'jobs:cancel' | 'jobs:reorder'>;

export function jobsHandlers({ jobs }: AppContext): JobsHandlers {
  return {
    'jobs:list': () => jobs.list(),
    'jobs:get': ({ id }) => jobs.get(id),
    'jobs:pause': ({ id }) => jobs.pause(id),
    'jobs:resume': ({ id }) => jobs.resume(id),
    'jobs:cancel': ({ id }) => jobs.cancel(id),
    'jobs:reorder': ({ id, position }) => jobs.reorder(id, position),
  };
}
