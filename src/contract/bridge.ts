// What the Electron preload exposes as `window.ganStudio` (checked there with `satisfies`), and
// what renderer/lib/api.ts looks for before falling back to HTTP + WebSocket.
import type { MethodName, Result } from './api.js';
import type { JobEvent } from './events.js';

export interface GanStudioBridge {
  /** calls one API method; channel = method name; never rejects for handler errors */
  invoke(method: MethodName, input: unknown): Promise<Result<unknown>>;
  /** the one job event channel; the current state of every job is replayed first */
  onJobEvent(cb: (event: JobEvent) => void): () => void;
  /** the disk path of a dropped File ('' when it is not backed by a file) */
  pathForFile(file: File): string;
  pickFolder(): Promise<string | null>;
  pickFiles(): Promise<string[]>;
  /** opens a workspace-relative path (or one the user picked) in the system file manager/viewer */
  openPath(path: string): Promise<void>;
  transport: 'electron';
}

/** IPC channels that are not API methods (API methods use their own name as the channel). */
export const BRIDGE_CHANNELS = {
  subscribe: 'bridge:subscribe-events',
  event: 'bridge:job-event',
  pickFolder: 'bridge:pick-folder',
  pickFiles: 'bridge:pick-files',
  openPath: 'bridge:open-path',
} as const;
