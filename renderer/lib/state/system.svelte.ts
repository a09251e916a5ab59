// System facts most views need (backend badge, workspace root, transport), loaded once.
import type { SystemInfo, TaskInfo } from '../../../src/contract/index.js';
import { api, onConnectionChange, type ConnectionState } from '../api.js';
import { Resource } from './resource.svelte.js';

export class SystemStore {
  info = new Resource<SystemInfo>(() => api['system:info']({}));
  /** every task and its model families (system:tasks): the lists the forms offer */
  tasks = new Resource<TaskInfo[]>(() => api['system:tasks']({}));
  connection = $state<ConnectionState>('connecting');

  constructor() {
    if (typeof window !== 'undefined') onConnectionChange((s) => (this.connection = s));
  }

  get backend(): string | null {
    return this.info.value?.backend.chosen ?? null;
  }

  /** Server paths under the workspace become workspace-relative (for fileUrl). */
  relative(path: string | null | undefined): string | null {
    if (!path) return null;
    const root = this.info.value?.workspace;
    const p = path.replace(/\\/g, '/');
    if (root) {
      const r = root.replace(/\\/g, '/').replace(/\/$/, '') + '/';
      if (p.startsWith(r)) return p.slice(r.length);
    }
    return p.startsWith('/') || /^[A-Za-z]:/.test(p) ? null : p;
  }
}

export const system = new SystemStore();
