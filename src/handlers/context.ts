// createApp: one workspace, one job manager (with its engine process) and every handler of the
// contract. Electron IPC, the HTTP server and the CLI all wrap the same App.
import { isAbsolute, resolve } from 'node:path';
import { realpath } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import type { Handlers } from '../contract/api.js';
import type { JobEvent } from '../contract/events.js';
import { JobManager } from '../jobs/job-manager.js';
import type { SpawnEngine } from '../jobs/engine-host.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { galleryHooks } from './gallery-record.js';
import type { AppContext, Transport } from './app-context.js';
import { createHandlers } from './index.js';

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
    userPath: (p) => checkUserPath(p, allow),
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

async function real(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return p; // not there yet (an output folder): judged by its spelled path
  }
}

export async function checkUserPath(path: string, allow: string[] | undefined): Promise<string> {
  const abs = resolve(path);
  if (!allow) return abs;
  if (!isAbsolute(path)) throw new AppError('PATH_NOT_ALLOWED', `"${path}" is not an absolute path on this machine`);
  const target = await real(abs);
  for (const root of allow) {
    const r = await real(root);
    if (target === r || target.startsWith(r.endsWith('/') ? r : `${r}/`)) return abs;
  }
  throw new AppError('PATH_NOT_ALLOWED', `${path} is outside the folders this server may use; upload the files, or start the server with --allow DIR`);
}
