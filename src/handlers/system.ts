// system:* — versions, backends and why, device, workspace disk use and cleanup.
import { cpus, totalmem } from 'node:os';
import type { Handlers } from '../contract/api.js';
import type { SystemInfo } from '../contract/system.js';
import { version } from '../common/version.js';
import { listDatasets } from '../workspace/datasets-repo.js';
import { listRuns } from '../workspace/runs-repo.js';
import { cleanWorkspace, diskUsage } from '../workspace/workspace.js';
import type { AppContext } from './app-context.js';

type SystemHandlers = Pick<Handlers, 'system:info' | 'system:diskUsage' | 'system:cleanup'>;

let backendCache: Promise<SystemInfo['backend']> | null = null;

async function backends(): Promise<SystemInfo['backend']> {
  backendCache ??= (async () => {
    // lazy: probing loads tfjs, which the UI process needs only when asked
    const engine = await import('../engine/backends.js');
    const r = await engine.selectBackend('auto');
    return { chosen: r.chosen, table: r.table };
  })();
  backendCache.catch(() => (backendCache = null));
  return backendCache;
}

export function systemHandlers(ctx: AppContext): SystemHandlers {
  const { ws } = ctx;
  return {
    'system:info': async () => {
      let device: SystemInfo['device'] = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryBytes: totalmem() };
      try {
        const engine = await import('../engine/backends.js');
        const d = await engine.deviceInfo();
        if (d) device = { ...device, ...d } as SystemInfo['device'];
      } catch {
        // the engine module is optional here: the basic facts above stand
      }
      return {
        version: version(),
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        platform: `${process.platform} ${process.arch}`,
        workspace: ws.root,
        backend: await backends(),
        device,
        transport: ctx.transport,
      };
    },
    'system:diskUsage': async () => {
      const u = await diskUsage(ws);
      const names = new Map(listDatasets(ws.catalog).map((d) => [d.id, d.name]));
      const runNames = new Map(listRuns(ws.catalog, { includeTrashed: true }).map((r) => [r.id, r.name]));
      const trashed = listRuns(ws.catalog, { includeTrashed: true }).filter((r) => r.trashed).map((r) => r.id);
      return {
        workspace: u.root,
        freeBytes: u.freeBytes,
        totalBytes: u.totalBytes,
        datasets: u.datasets.map((d) => ({ id: d.id, name: names.get(d.id) ?? d.id, bytes: d.bytes })),
        runs: u.runs.map((r) => ({ id: r.id, name: runNames.get(r.id) ?? r.id, bytes: r.bytes })),
        exportsBytes: u.exports,
        trashBytes: u.trash + u.runs.filter((r) => trashed.includes(r.id)).reduce((n, r) => n + r.bytes, 0),
        cacheBytes: u.cache,
      };
    },
    'system:cleanup': async ({ what }) => {
      let freedBytes = (await cleanWorkspace(ws, what)).freedBytes;
      if (what.includes('trash')) {
        const { runsHandlers } = await import('./runs.js');
        freedBytes += (await runsHandlers(ctx)['runs:emptyTrash']({})).freedBytes;
      }
      return { freedBytes };
    },
  };
}
