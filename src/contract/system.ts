import { z } from 'zod';
import { Empty, method } from './common.js';

export const BACKEND_NAMES = ['cuda', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BackendPref = z.enum(['auto', ...BACKEND_NAMES]);
export type BackendPref = z.infer<typeof BackendPref>;

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** why it was chosen or skipped, in words a user can act on */
  reason: string;
  gflops?: number;
}

export interface SystemInfo {
  version: string;
  node: string;
  electron: string | null;
  platform: string;
  workspace: string;
  backend: { chosen: BackendName | null; table: BackendStatus[] };
  device: { cpu: string; cores: number; memoryBytes: number; adapter?: string };
  transport: 'electron' | 'http' | 'cli';
}

export interface DiskUsage {
  workspace: string;
  freeBytes: number;
  totalBytes: number;
  datasets: Array<{ id: string; name: string; bytes: number }>;
  runs: Array<{ id: string; name: string; bytes: number }>;
  exportsBytes: number;
  trashBytes: number;
  cacheBytes: number;
}

export const systemMethods = {
  'system:info': method<SystemInfo>()(Empty),
  'system:diskUsage': method<DiskUsage>()(Empty),
  'system:cleanup': method<{ freedBytes: number }>()(
    z.object({ what: z.array(z.enum(['trash', 'cache', 'exports'])).min(1) }).strict(),
  ),
};
