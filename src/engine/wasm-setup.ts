// Makes the wasm backend usable for training in Node and Electron: points it at its .wasm
// binaries inside node_modules and installs the training kernels.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';

const require = createRequire(import.meta.url);

/**
 * Folder holding tfjs-backend-wasm*.wasm, with a trailing slash as setWasmPaths wants. Resolved
 * through Node's module lookup so it works from src/, dist/ and a packaged app alike.
 */
export function wasmBinaryDir(): string {
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return dirname(file) + '/';
}

let configured = false;

/** Idempotent; must run before the first `tf.setBackend('wasm')`. */
export async function prepareWasm(): Promise<void> {
  if (configured) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Node's emscripten loader reads the binary with fs, so a plain folder path (not a URL) is right.
  wasm.setWasmPaths(wasmBinaryDir());
  registerWasmTrainingKernels();
  configured = true;
}
