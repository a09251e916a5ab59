// The preload exposes the domain API only — never ipcRenderer. Bundled to CommonJS by
// scripts/build-node.mjs (a sandboxed preload cannot be an ES module).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_CHANNELS, type GanStudioBridge } from '../src/contract/bridge.js';
import type { JobEvent } from '../src/contract/events.js';
import type { Result } from '../src/contract/api.js';
import { guardedInvoke } from './preload-guard.js';

/** the contract's method names, baked in by scripts/build-node.mjs (esbuild `define`) */
declare const GAN_STUDIO_METHOD_NAMES: readonly string[];

type Listener = (event: JobEvent) => void;

/** A listener waits for its replay; live events that arrive meanwhile are held, then delivered. */
const listeners = new Map<Listener, JobEvent[] | null>();

ipcRenderer.on(BRIDGE_CHANNELS.event, (_e, event: JobEvent) => {
  for (const [listener, pending] of listeners) {
    if (pending) pending.push(event);
    else listener(event);
  }
});

async function unwrap<T>(promise: Promise<Result<T>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const bridge = {
  // the contract's method names only: never an arbitrary channel
  invoke: guardedInvoke(GAN_STUDIO_METHOD_NAMES, (channel, input) => ipcRenderer.invoke(channel, input)),
  onJobEvent(cb) {
    const pending: JobEvent[] = [];
    listeners.set(cb, pending);
    void ipcRenderer.invoke(BRIDGE_CHANNELS.subscribe).then((replay: JobEvent[] | Result<never>) => {
      if (!listeners.has(cb)) return;
      listeners.set(cb, null);
      for (const e of Array.isArray(replay) ? replay : []) cb(e);
      for (const e of pending) cb(e);
    });
    return () => void listeners.delete(cb);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  pickFolder: () => unwrap<string | null>(ipcRenderer.invoke(BRIDGE_CHANNELS.pickFolder)),
  pickFiles: () => unwrap<string[]>(ipcRenderer.invoke(BRIDGE_CHANNELS.pickFiles)),
  openPath: (path) => unwrap(ipcRenderer.invoke(BRIDGE_CHANNELS.openPath, path)).then(() => undefined),
  transport: 'electron',
} satisfies GanStudioBridge;

contextBridge.exposeInMainWorld('ganStudio', bridge);
