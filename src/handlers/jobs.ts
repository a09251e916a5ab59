// jobs:* — the queue as the user sees it.
import type { Handlers } from '../contract/api.js';
import type { AppContext } from './context.js';

type JobsHandlers = Pick<Handlers, 'jobs:list' | 'jobs:get' | 'jobs:pause' | 'jobs:resume' | 'jobs:cancel' | 'jobs:reorder'>;

export function jobsHandlers({ jobs }: AppContext): JobsHandlers {
  return {
    'jobs:list': () => jobs.list(),
    'jobs:get': ({ id }) => jobs.get(id),
    'jobs:pause': ({ id }) => (jobs.pause(id), { ok: true as const }),
    'jobs:resume': ({ id }) => (jobs.resume(id), { ok: true as const }),
    'jobs:cancel': ({ id }) => (jobs.cancel(id), { ok: true as const }),
    'jobs:reorder': ({ id, position }) => (jobs.reorder(id, position), { ok: true as const }),
  };
}
