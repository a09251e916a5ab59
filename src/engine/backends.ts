// Chooses the tfjs backend: cuda > webgpu (hardware adapter) > tensorflow > wasm > cpu.
// Native backends are probed in a child process first (probe-child.ts) so that a crashing addon
// costs a table row, not the app; wasm and cpu are pure JS/wasm and are checked in-process.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  BACKEND_ORDER,
  type BackendName,
  type BackendPref,
  type BackendRow,
  type ProbeResult,
  TF_BACKEND,
} from './backend-types.js';
import { matmulProbe } from './device-info.js';
import { readCachedChoice, writeCachedChoice } from './backend-cache.js';
import { errorText, importOptional, NATIVE_PACKAGES, probeNative } from './native-probe.js';
import { prepareWasm, wasmThreads } from './wasm-setup.js';
import { installWebGpu } from './webgpu-setup.js';

export type { BackendName, BackendPref, BackendRow } from './backend-types.js';

// Production mode: no debug checks, and no "install tfjs-node" banner on every start (the
// doctor table already says which backends are installed and how to add the others).
tf.env().set('PROD', true);
export { deviceInfo, matmulProbe, type DeviceInfo } from './device-info.js';
export { prepareWasm, wasmBinaryDir } from './wasm-setup.js';

export interface BackendSelection {
  chosen: BackendName;
  table: BackendRow[];
}

export interface SelectOptions {
  /** Seconds of matmul timing per backend while probing (0 skips the measurement). */
  probeSeconds?: number;
  /** A probe child that has not answered by then is killed and its backend skipped. */
  probeTimeoutMs?: number;
}

const NATIVE: readonly BackendName[] = ['cuda', 'webgpu', 'tensorflow'];

/**
 * The compiled probe sits next to the compiled backends.js (dist/src/engine/). When this module
 * runs from source (vitest, tsx) there is no .js beside it, so fall back to the build output.
 */
export function probeChildPath(): string | null {
  const sibling = fileURLToPath(new URL('./probe-child.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = sibling.replace(/([\\/])src\1engine\1probe-child\.js$/, '$1dist$1src$1engine$1probe-child.js');
  return existsSync(built) ? built : null;
}

/** Waits briefly for the probe script: a concurrent `build:node` deletes dist/src before rewriting it. */
async function findProbeChild(): Promise<string | null> {
  for (let i = 0; i < 30; i++) {
    const path = probeChildPath();
    if (path) return path;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/** Runs the probe child for one native backend; never rejects. */
export async function probeInChild(name: BackendName, seconds: number, timeoutMs: number): Promise<ProbeResult> {
  // Inside Electron the RunAsNode fuse is off, so forking the app binary as Node cannot work.
  // There the probe runs in this process, which is already the engine's utilityProcess: a
  // crashing addon takes the engine down and the host reports it, never the UI.
  if (process.versions.electron) return probeNative(name, seconds).catch((e: unknown) => ({ name, ok: false, reason: errorText(e) }));
  const script = await findProbeChild();
  if (!script) return { name, ok: false, reason: 'probe script not built (run npm run build:node)' };
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const child = fork(script, [name, String(seconds)], { silent: true, serialization: 'json' });
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ name, ok: false, reason: `probe did not answer within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.stdout?.resume(); // tfjs banners; drained so the child never blocks on a full pipe
    child.on('message', (m) => done(m as ProbeResult));
    child.on('error', (e) => done({ name, ok: false, reason: `probe could not start: ${errorText(e)}` }));
    child.on('exit', (code, signal) => {
      const last = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      done({ name, ok: false, reason: `loading crashed the probe process (${how})${last ? `: ${last.slice(0, 200)}` : ''}` });
    });
  });
}

async function probeWasm(seconds: number): Promise<BackendRow> {
  try {
    await prepareWasm();
    const previous = tf.getBackend();
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const gflops = seconds > 0 ? await matmulProbe('wasm', seconds) : undefined;
    if (previous && previous !== 'wasm') await tf.setBackend(previous);
    const { threads, note } = wasmThreads();
    const cores = threads > 1 ? `${threads} threads` : `one thread${note ? `: ${note}` : ''}`;
    const reason = `WebAssembly${simd ? ' SIMD' : ''} + XNNPACK with GAN Studio's conv training kernels (${cores})`;
    return { name: 'wasm', available: true, reason, ...(gflops !== undefined ? { gflops } : {}) };
  } catch (e) {
    return { name: 'wasm', available: false, reason: `failed to start: ${errorText(e)}` };
  }
}

async function probeCpu(seconds: number): Promise<BackendRow> {
  const gflops = seconds > 0 ? await matmulProbe('cpu', Math.min(seconds, 0.5)) : undefined;
  return {
    name: 'cpu',
    available: true,
    reason: 'pure-JS reference backend; its conv gradients are ~1000x slower than wasm, use only as a last resort',
    ...(gflops !== undefined ? { gflops } : {}),
  };
}

function rowFromProbe(p: ProbeResult, pref: BackendPref): BackendRow {
  const row: BackendRow = { name: p.name, available: p.ok, reason: p.reason };
  if (p.gflops !== undefined) row.gflops = p.gflops;
  if (p.adapter) row.adapter = p.adapter;
  if (p.name === 'webgpu' && p.ok && p.software && pref !== 'webgpu') {
    row.available = false;
    row.reason = `software adapter ${p.adapter ?? ''} — slower than wasm; force with --backend webgpu`;
  }
  return row;
}

const probed = new Map<BackendName, ProbeResult>();

/**
 * Probes backends and picks one. `auto` takes the first usable one in BACKEND_ORDER (a software
 * WebGPU adapter does not count); a forced choice that is unusable falls back the same way, with
 * the reason in its row. Never throws.
 */
export async function selectBackend(pref: BackendPref = 'auto', opts: SelectOptions = {}): Promise<BackendSelection> {
  const seconds = opts.probeSeconds ?? 0.3;
  const timeoutMs = opts.probeTimeoutMs ?? 60_000;
  const wanted = (name: BackendName): boolean => pref === 'auto' || pref === name || !NATIVE.includes(name);
  // Children run in parallel; wasm/cpu are measured afterwards so they do not share the CPU.
  const natives = await Promise.all(
    NATIVE.map(async (name): Promise<BackendRow> => {
      if (!wanted(name)) return { name, available: false, reason: `not probed (backend forced to ${pref})` };
      const p = await probeInChild(name, seconds, timeoutMs);
      probed.set(name, p);
      return rowFromProbe(p, pref);
    }),
  );
  const rows = new Map<BackendName, BackendRow>(natives.map((r) => [r.name, r]));
  rows.set('wasm', await probeWasm(seconds));
  rows.set('cpu', await probeCpu(seconds));
  const table = BACKEND_ORDER.map((n) => rows.get(n)!);

  let chosen: BackendName = 'cpu';
  const forced = pref !== 'auto' ? rows.get(pref) : undefined;
  if (forced?.available) chosen = pref as BackendName;
  else chosen = table.find((r) => r.available)?.name ?? 'cpu';
  if (forced && !forced.available) forced.reason += `; fell back to ${chosen}`;
  const row = rows.get(chosen)!;
  row.reason = `chosen: ${row.reason}`;
  // every fresh probe (doctor, system:info, initTf) refreshes what initTfCached reuses
  writeCachedChoice(pref, { chosen, table }, probed.get('webgpu')?.dawnOptions);
  return { chosen, table };
}

/** Loads `name` into this process and makes it the tfjs backend; throws if it cannot. */
async function activate(name: BackendName): Promise<void> {
  if (name === 'cuda' || name === 'tensorflow') await importOptional(NATIVE_PACKAGES[name]);
  if (name === 'webgpu') {
    const options = probed.get('webgpu')?.dawnOptions ?? [];
    if (!(await installWebGpu(options))) throw new Error('no WebGPU adapter in this process');
    await importOptional('@tensorflow/tfjs-backend-webgpu');
  }
  if (name === 'wasm') await prepareWasm();
  if (!(await tf.setBackend(TF_BACKEND[name]))) throw new Error(`tf.setBackend("${TF_BACKEND[name]}") failed`);
  await tf.ready();
}

/** selectBackend, then make the choice the active tfjs backend (falling back if it will not start). */
export async function initTf(pref: BackendPref = 'auto', opts: SelectOptions = {}): Promise<BackendSelection> {
  const selection = await selectBackend(pref, opts);
  const order = [selection.chosen, ...BACKEND_ORDER.filter((n) => n !== selection.chosen && (n === 'wasm' || n === 'cpu'))];
  for (const name of order) {
    try {
      await activate(name);
      if (name !== selection.chosen) {
        const row = selection.table.find((r) => r.name === name)!;
        row.reason = `chosen: ${row.reason.replace(/^chosen: /, '')}`;
      }
      return { chosen: name, table: selection.table };
    } catch (e) {
      const row = selection.table.find((r) => r.name === name)!;
      row.available = false;
      row.reason = `${row.reason.replace(/^chosen: /, '')}; failed to start in-process: ${errorText(e)}`;
    }
  }
  throw new Error('no tfjs backend could be started (even cpu failed)');
}

/**
 * initTf without the probes when this machine's last choice for `pref` is remembered
 * (backend-cache.ts: same runtime, packages and GPU driver, under a week old). A remembered
 * backend that will not start now falls back to a fresh probe, which rewrites the cache.
 */
export async function initTfCached(pref: BackendPref = 'auto', opts: SelectOptions = {}): Promise<BackendSelection & { fromCache: boolean }> {
  const cached = readCachedChoice(pref);
  if (cached) {
    try {
      if (cached.dawnOptions) probed.set('webgpu', { name: 'webgpu', ok: true, reason: 'remembered', dawnOptions: cached.dawnOptions });
      await activate(cached.chosen);
      return { chosen: cached.chosen, table: cached.table, fromCache: true };
    } catch {
      // the machine changed in a way the key does not see: probe afresh below
    }
  }
  const fresh = await initTf(pref, opts);
  // initTf may have fallen back from the probed choice in-process: remember what really started
  writeCachedChoice(pref, fresh, probed.get('webgpu')?.dawnOptions);
  return { ...fresh, fromCache: false };
}
