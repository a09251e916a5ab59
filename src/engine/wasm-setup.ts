// Makes the wasm backend usable for training in Node and Electron: points it at its .wasm
// binaries inside node_modules, installs the training kernels and, on a machine with more than
// one core (or as GAN_STUDIO_WASM_THREADS says), starts the threaded binary so XNNPACK uses
// several cores. Every process that trains gets here through prepareWasm (the engine child, the
// CLI, the server, Electron's utility process), and each inherits the variable from its parent.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';
import { startThreadedWasm, wasmThreadsWanted } from './wasm-threads.js';

const require = createRequire(import.meta.url);

/**
 * Folder holding tfjs-backend-wasm*.wasm, with a trailing slash as setWasmPaths wants. Resolved
 * through Node's module lookup so it works from src/, dist/ and a packaged app alike.
 */
export function wasmBinaryDir(): string {
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return dirname(file) + '/';
}

let configured: Promise<void> | null = null;
let threadsInUse = 1;
let threadsNote: string | undefined;

/** Threads the wasm backend of this process runs with, and why not more when a start failed. */
export function wasmThreads(): { threads: number; note?: string } {
  return { threads: threadsInUse, ...(threadsNote ? { note: threadsNote } : {}) };
}

/** Idempotent; must run before the first `tf.setBackend('wasm')`. */
export function prepareWasm(): Promise<void> {
  configured ??= (async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node's emscripten loader reads the binary with fs, so a plain folder path (not a URL) is
    // right; a prefix (not a file) also leaves tfjs free to pick the threaded binary.
    wasm.setWasmPaths(wasmBinaryDir());
    registerWasmTrainingKernels();
    const wanted = wasmThreadsWanted();
    if (wanted > 1) {
      try {
        threadsInUse = await startThreadedWasm(wanted);
      } catch (error) {
        // the single-threaded binary still works: say why, once, and carry on with it
        threadsNote = (error as Error).message;
        console.warn(`GAN Studio: ${threadsNote}`);
      }
    }
  })().catch((error: unknown) => {
    configured = null; // a later call tries again
    throw error;
  });
  return configured;
}
