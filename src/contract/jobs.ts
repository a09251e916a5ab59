import { z } from 'zod';
import { Empty, Id, method } from './common.js';
import type { JobKind, JobState, Progress } from './events.js';
import type { ErrorCode } from './errors.js';

export interface JobSummary {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  progress: Progress | null;
  /** the run a training job belongs to */
  runId: string | null;
  /** a batch's failed items so far */
  errors: number;
  error: { code: ErrorCode; message: string } | null;
  /** queue position for queued jobs (0 = next) */
  position: number | null;
  result: Record<string, unknown> | null;
}

const JobRef = z.object({ id: Id }).strict();

/**
 * What a control call answers. A job run by another live gan-studio process (the app, a server,
 * a CLI `train`) is not changed here: the request goes to that owner through the catalog, and
 * `requestId` + `owner` say so (the CLI then waits for the owner to act).
 */
export interface ControlAnswer {
  ok: true;
  requestId?: number;
  owner?: { pid: number; hostname: string };
}

export const jobsMethods = {
  'jobs:list': method<JobSummary[]>()(Empty),
  'jobs:get': method<JobSummary>()(JobRef),
  'jobs:pause': method<ControlAnswer>()(JobRef),
  'jobs:resume': method<ControlAnswer>()(JobRef),
  'jobs:cancel': method<ControlAnswer>()(JobRef),
  'jobs:reorder': method<ControlAnswer>()(z.object({ id: Id, position: z.number().int().min(0) }).strict()),
};
