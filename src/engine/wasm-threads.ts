// Runs tfjs's threaded-SIMD wasm binary in Node, so XNNPACK's convolutions use more than one core.
//
// tfjs ships the binary but only starts it where the browser says SharedArrayBuffer threads work;
// in Node it never asks, and its start-up path assumes a browser in three places. This module
// bridges exactly those, only while the backend starts, and then puts everything back:
//   1. tfjs hands Emscripten its worker script and its own main script as Blob object URLs;
//      Node's Worker and the worker's `importScripts` want file paths. We keep the text of the
//      JavaScript blobs made during start-up and turn their object URLs into temp files.
//   2. The main-script blob is the factory's source cut out of tfjs's bundle, where the bundler
//      renamed its `require('fs')` etc. to `require$$N` and `global` to `commonjsGlobal`; the
//      file we write puts those names back in front of it.
//   3. Emscripten keeps a running thread's worker ref'd, and XNNPACK's pool threads run for the
//      life of the process, so Node would never exit; once started, we unref them (kernel calls
//      block the main thread until the pool is done, so nothing ever awaits those workers).
//   4. XNNPACK sizes its pool from the logical core count, halved for hyper-threading; we report
//      2 × threads cores while it starts so the pool gets the threads asked for.
// Measured on the 2-core CI machine: a 3×3 64→64 conv at 64² in 185 ms per 20 at 2 threads
// against 360 ms single-threaded (src/engine/README.md).
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** How long the threaded start may take before we give up on it (workers load ~1 MB of JS each). */
const START_TIMEOUT_MS = 60_000;

const MAIN_SCRIPT_MARK = 'var WasmBackendModuleThreadedSimd';

/**
 * The thread count when GAN_STUDIO_WASM_THREADS is unset: every core up to 4, one on a one-core
 * machine. Measured on 2 cores only (src/engine/README.md, "Threads"): 2 threads there made
 * XNNPACK's convolutions 1.6–1.95× faster and whole steps 1.2–1.5× at useful batch sizes; past 4
 * nothing was measured (the 16-core GPU machine was not available), and element-wise kernels and
 * our JS relayouts stay on one thread whatever the count, so the cap keeps cores for the data
 * pipeline and the UI until a measurement says more threads pay.
 */
export function defaultWasmThreads(cores: number = availableParallelism()): number {
  return cores <= 1 ? 1 : Math.min(cores, 4);
}

/**
 * Threads the wasm backend should use: GAN_STUDIO_WASM_THREADS when set (`1` forces the
 * single-threaded binary; a value that is not a positive integer also means one thread, the safe
 * reading of a mistake), else the core-count rule above.
 */
export function wasmThreadsWanted(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const raw = env.GAN_STUDIO_WASM_THREADS?.trim();
  if (!raw) return defaultWasmThreads(cores);
  const n = Math.floor(Number(raw));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 64) : 1;
}

/** `var require$$N = require('X');` lines of tfjs's Node bundle, which its factory source expects. */
function bundleRequirePrelude(): string {
  const bundle = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm'), 'utf8');
  const lines = [...bundle.matchAll(/var (require\$\$\d+) = require\('([^']+)'\);/g)].map(
    (m) => `var ${m[1]} = require(${JSON.stringify(m[2])});`,
  );
  return ['var commonjsGlobal = globalThis;', ...lines].join('\n');
}

interface Bridges {
  /** Puts the globals back; the threads' workers stop holding the process open. */
  restore(): void;
}

/** Installs the three start-up bridges; `restore()` removes them (the temp files stay until exit). */
function installBridges(threads: number): Bridges {
  const dir = mkdtempSync(join(tmpdir(), 'gan-studio-wasm-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const NativeBlob = globalThis.Blob;
  const nativeCreateObjectURL = URL.createObjectURL.bind(URL);
  const os = require('node:os') as typeof import('node:os');
  const nativeCpus = os.cpus;
  const scriptText = new WeakMap<Blob, string>();
  let mainPath: string | undefined;
  let files = 0;
  const { ref: nativeRef, unref: nativeUnref } = Worker.prototype;
  const threadWorkers = new Set<Worker>();

  class ScriptCapturingBlob extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      // only JavaScript made of strings: the two scripts tfjs makes; anything else passes through
      if (!/javascript/.test(options?.type ?? '') || !parts?.every((p) => typeof p === 'string')) return;
      const text = (parts as string[]).join('');
      scriptText.set(this, text);
      if (text.startsWith(MAIN_SCRIPT_MARK)) {
        mainPath = join(dir, 'main.js');
        writeFileSync(mainPath, `${bundleRequirePrelude()}\n${text}`);
      }
    }
  }
  globalThis.Blob = ScriptCapturingBlob as typeof Blob;
  URL.createObjectURL = (blob: Blob): string => {
    const text = scriptText.get(blob);
    if (text === undefined) return nativeCreateObjectURL(blob);
    if (mainPath && text.startsWith(MAIN_SCRIPT_MARK)) return mainPath;
    const path = join(dir, `script-${files++}.js`);
    // the worker asks for the main script by its blob URL; point that at the file
    const redirect = mainPath
      ? `\n;(function(){var load=global.importScripts;global.importScripts=function(u){return load(String(u).startsWith('blob:')?${JSON.stringify(mainPath)}:u)}})();\n`
      : '';
    writeFileSync(path, text + redirect);
    return path;
  };
  Worker.prototype.ref = function (this: Worker) {
    threadWorkers.add(this);
    nativeRef.call(this);
  };
  Worker.prototype.unref = function (this: Worker) {
    threadWorkers.add(this);
    nativeUnref.call(this);
  };
  os.cpus = () => {
    const real = nativeCpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]!);
  };
  return {
    restore() {
      globalThis.Blob = NativeBlob;
      URL.createObjectURL = nativeCreateObjectURL;
      os.cpus = nativeCpus;
      Worker.prototype.ref = nativeRef;
      Worker.prototype.unref = nativeUnref;
      for (const worker of threadWorkers) {
        worker.unref();
        worker.ref = () => undefined; // a pool thread re-run later must not hold the process either
      }
    },
  };
}

/** tfjs's engine starts a registered backend without making it current; typed here as we use it. */
interface EngineInternals {
  initializeBackend(name: string): { success: boolean | Promise<boolean> };
}

/**
 * Starts the wasm backend with `threads` threads (call after setWasmPaths, before any other use
 * of the wasm backend). Returns the threads it runs with. On failure it throws with the way out;
 * the caller then starts the single-threaded binary.
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const bridges = installBridges(threads);
  let timer: NodeJS.Timeout | undefined;
  try {
    const { success } = (tf.engine() as unknown as EngineInternals).initializeBackend('wasm');
    const timeout = new Promise<boolean>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      timer.unref();
    });
    const ok = await Promise.race([Promise.resolve(success), timeout]);
    if (!ok) throw new Error('tfjs could not start the threaded binary');
  } catch (error) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    throw new Error(
      `the threaded wasm backend did not start (${(error as Error).message}); set GAN_STUDIO_WASM_THREADS=1 to use one thread without trying`,
    );
  } finally {
    clearTimeout(timer);
    bridges.restore();
  }
  return wasm.getThreadsCount();
}
