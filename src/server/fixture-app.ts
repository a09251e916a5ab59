// TEMPORARY stand-in for createApp() (src/handlers/context.ts) until the handlers land: a real
// app over a temp workspace with the few handlers the transport suites need. Tests only.
import { arch, cpus, platform, totalmem } from 'node:os';
import { METHOD_NAMES, type Handlers } from '../contract/api.js';
import { AppError } from '../contract/errors.js';
import type { JobEvent } from '../contract/events.js';
import type { ServedApp } from './server.js';

export function fixtureApp(root: string): ServedApp & { close(): Promise<void> } {
  const listeners = new Set<(e: JobEvent) => void>();
  const history: JobEvent[] = [];
  const publish = (e: JobEvent) => {
    history.push(e);
    for (const l of listeners) l(e);
  };
  const handlers = {} as Record<string, (input: unknown) => unknown>;
  for (const name of METHOD_NAMES) {
    handlers[name] = () => {
      throw new AppError('NOT_FOUND', `${name} is not available yet`);
    };
  }
  handlers['system:info'] = () => ({
    version: '0.0.0', node: process.versions.node, electron: null, platform: `${platform()}-${arch()}`, workspace: root,
    backend: { chosen: null, table: [] }, device: { cpu: cpus()[0]?.model ?? 'cpu', cores: cpus().length, memoryBytes: totalmem() }, transport: 'http',
  });
  handlers['datasets:list'] = () => [];
  handlers['datasets:get'] = (input) => {
    throw new AppError('NOT_FOUND', `no dataset "${(input as { id: string }).id}"`);
  };
  handlers['datasets:importSample'] = () => {
    const jobId = `job-${history.length}`;
    const at = Date.now();
    setTimeout(() => {
      publish({ type: 'queued', jobId, at, kind: 'import', title: 'sample', position: 0 });
      publish({ type: 'started', jobId, at });
      publish({ type: 'progress', jobId, at, progress: { done: 1, total: 1, unit: 'image', eta: 0 } });
      publish({ type: 'done', jobId, at });
    }, 10);
    return { jobId };
  };
  return {
    ws: { root },
    handlers: handlers as unknown as Handlers,
    events: {
      subscribe(cb) {
        for (const e of history) cb(e);
        listeners.add(cb);
        return () => void listeners.delete(cb);
      },
    },
    async close() {},
  };
}
