// What every handler area receives from createApp (context.ts), kept apart from createApp so the
// areas (index.ts and its files) and createApp do not import each other.
import type { JobManager } from '../jobs/job-manager.js';
import type { Workspace } from '../workspace/workspace.js';
import type { UserPathUse } from './user-paths.js';

export type Transport = 'electron' | 'http' | 'cli';

/** What every handler area receives. */
export interface AppContext {
  ws: Workspace;
  jobs: JobManager;
  transport: Transport;
  /**
   * resolves a client path, enforcing the allowed roots when the transport has them (by real
   * path; `dir`/`file` outputs get their missing folders made without following links)
   */
  userPath(path: string, use?: UserPathUse): Promise<string>;
}
