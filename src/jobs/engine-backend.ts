// Picks the tfjs backend inside the engine process, once. Uses the engine module's initTfCached
// (cuda > webgpu > tensorflow > wasm > cpu with reasons; the last choice is remembered between
// processes, see engine/backend-cache.ts).
import type { BackendPref } from '../contract/system.js';

export interface BackendInfo {
  /** the active tfjs backend's name */
  chosen: string;
  /** true when the choice came from the backend cache and no probe ran */
  fromCache: boolean;
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
    // lazy: the engine process loads tfjs and probes backends only when a job needs them
    const { initTfCached } = await import('../engine/backends.js');
    const { chosen: name, fromCache } = await initTfCached(pref);
    return { chosen: name, fromCache };
  })();
  chosen.catch(() => {
    chosen = null;
  });
  return chosen;
}
