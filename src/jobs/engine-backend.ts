// Picks the tfjs backend inside the engine process, once. Uses the engine module's initTfCached
// (cuda > webgpu > tensorflow > wasm > cpu with reasons; the last choice is remembered between
// processes, see engine/backend-cache.ts) when it is in this build, else wasm/cpu.
import type { BackendPref } from '../contract/system.js';
import { importOptional } from './engine-tasks.js';

export interface BackendInfo {
  /** the active tfjs backend's name */
  chosen: string;
  /** true when the choice came from the backend cache and no probe ran */
  fromCache: boolean;
}

interface EngineBackends {
  initTfCached?(p: BackendPref): Promise<{ chosen: string; fromCache: boolean }>;
  initTf(p: BackendPref): Promise<{ chosen: string }>;
}

let chosen: Promise<BackendInfo> | null = null;
let chosenFor: BackendPref | null = null;

export function ensureBackend(pref: BackendPref = 'auto'): Promise<string> {
  return ensureBackendInfo(pref).then((info) => info.chosen);
}

/** ensureBackend, also saying whether the choice was remembered (no probes) or probed afresh. */
export function ensureBackendInfo(pref: BackendPref = 'auto'): Promise<BackendInfo> {
  if (chosen && (chosenFor === pref || pref === 'auto')) return chosen;
  chosenFor = pref;
  chosen = (async (): Promise<BackendInfo> => {
    try {
      const engine = await importOptional<EngineBackends>('../engine/backends.js', 'backend selection');
      if (engine.initTfCached) {
        const { chosen: name, fromCache } = await engine.initTfCached(pref);
        return { chosen: name, fromCache };
      }
      return { chosen: (await engine.initTf(pref)).chosen, fromCache: false };
    } catch (error) {
      if ((error as { code?: string }).code !== 'BACKEND_UNAVAILABLE') throw error;
      const tf = await import('@tensorflow/tfjs');
      const want = pref === 'auto' ? 'wasm' : pref;
      if (want === 'wasm') {
        try {
          const wasm = await importOptional<{ prepareWasm(): Promise<void> }>('../engine/wasm-setup.js', 'wasm backend');
          await wasm.prepareWasm();
        } catch {
          // without the engine's wasm setup, fall back to the cpu backend below
        }
      }
      if (!(await tf.setBackend(want).catch(() => false))) await tf.setBackend('cpu');
      await tf.ready();
      return { chosen: tf.getBackend(), fromCache: false };
    }
  })();
  chosen.catch(() => {
    chosen = null;
  });
  return chosen;
}
