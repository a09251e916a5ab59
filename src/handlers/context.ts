// createApp: one workspace, one job manager (with its engine process) and every handler of the
// contract. Electron IPC, the HTTP server and the CLI all wrap the same App.
import { resolve } from 'node:path';
import type { Handlers } from '../contract/api.js';
import type { JobEvent } from '../contract/events.js';
import { JobManager } from '../jobs/job-manager.js';
import type { SpawnEngine } from '../jobs/engine-host.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { galleryHooks } from './gallery-record.js';
import type { AppContext, Transport } from './app-context.js';
import { createHandlers } from './index.js';
import { checkUserPath } from './user-paths.js';

export { checkUserPath, type UserPathUse } from './user-paths.js';

export type { AppContext, Transport };

export interface AppOptions {
  workspace?: string;
  /** 'fork' (default): a child process; 'inline': in this process (tests only) */
  engine?: 'fork' | 'inline';
  /** Electron passes a utilityProcess-based spawner */
  spawnEngine?: SpawnEngine;
  transport: Transport;
  /** server mode: user paths must lie inside one of these folders (PATH_NOT_ALLOWED otherwise) */
  allow?: string[];
}

export interface App {
  ws: Workspace;
  handlers: Handlers;
  jobs: JobManager;
  transport: Transport;
  events: { subscribe(cb: (e: JobEvent) => void): () => void };
  close(): Promise<void>;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const ws = openWorkspace(opts.workspace);
  let jobs: JobManager;
  try {
    jobs = new JobManager(ws, { engine: opts.engine, spawnEngine: opts.spawnEngine, hooks: galleryHooks(ws) });
  } catch (error) {
    ws.close();
    throw error;
  }
  const allow = opts.allow?.map((p) => resolve(p));
  const ctx: AppContext = {
    ws,
    jobs,
    transport: opts.transport,
    userPath: (p, use) => checkUserPath(p, allow, use),
  };
  let closed = false;
  return {
    ws,
    jobs,
    transport: opts.transport,
    handlers: createHandlers(ctx),
    events: { subscribe: (cb) => jobs.subscribe(cb) },
    async close() {
      if (closed) return;
      closed = true;
      await jobs.close();
      ws.close();
    },
  };
}
