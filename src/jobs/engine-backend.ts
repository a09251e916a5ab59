// Picks the tfjs backend inside the engine process, once. Uses the engine module's initTf
// (cuda > webgpu > tensorflow > wasm > cpu with reasons) when it is in this build, else wasm/cpu.
import type { BackendPref } from '../contract/system.js';
import { importOptional } from './engine-tasks.js';

let chosen: Promise<string> | null = null;
let chosenFor: BackendPref | null = null;

export function ensureBackend(pref: BackendPref = 'auto'): Promise<string> {
  if (chosen && (chosenFor === pref || pref === 'auto')) return chosen;
  chosenFor = pref;
  chosen = (async () => {
    try {
      const engine = await importOptional<{ initTf(p: BackendPref): Promise<{ chosen: string }> }>('../engine/backends.js', 'backend selection');
      return (await engine.initTf(pref)).chosen;
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
      return tf.getBackend();
    }
  })();
  chosen.catch(() => {
    chosen = null;
  });
  return chosen;
}
