// Loads one native backend and measures it. Runs inside the probe child (probe-child.ts): native
// addons can abort the whole process (a libtensorflow built for another CPU, a GPU driver
// mismatch), so the app only ever loads them in-process after a child survived doing so.
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import type { BackendName, ProbeResult } from './backend-types.js';
import { matmulProbe } from './device-info.js';
import { DAWN_OPTION_SETS, installWebGpu } from './webgpu-setup.js';

export const NATIVE_PACKAGES = {
  cuda: '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

export const INSTALL_HINT: Record<'cuda' | 'tensorflow', string> = {
  cuda: 'npm i @tensorflow/tfjs-node-gpu (needs an NVIDIA GPU, CUDA 11.8 and cuDNN 8.6)',
  tensorflow: 'npm i @tensorflow/tfjs-node (prebuilt libtensorflow, multi-threaded CPU)',
};

export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}

function isMissingModule(e: unknown, pkg: string): boolean {
  const code = (e as { code?: string } | null)?.code;
  const msg = errorText(e);
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && msg.includes(pkg);
}

/** Imports an optional package by a computed name, so bundlers and tsc leave it optional. */
export async function importOptional(pkg: string): Promise<unknown> {
  return import(pkg);
}

function nvidiaGpus(): string | null {
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { timeout: 5000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const first = out.split('\n').find((l) => l.startsWith('GPU'));
    return first ? first.replace(/\s*\(UUID.*\)$/, '') : null;
  } catch {
    return null;
  }
}

async function probeTfjsNode(name: 'cuda' | 'tensorflow', seconds: number): Promise<ProbeResult> {
  const pkg = NATIVE_PACKAGES[name];
  try {
    await importOptional(pkg);
  } catch (e) {
    if (isMissingModule(e, pkg)) return { name, ok: false, reason: `not installed: ${INSTALL_HINT[name]}` };
    return { name, ok: false, reason: `${pkg} is installed but failed to load: ${errorText(e)}` };
  }
  let adapter: string | undefined;
  if (name === 'cuda') {
    // tfjs-node-gpu quietly runs on the CPU when it finds no usable GPU; do not call that CUDA.
    const gpu = nvidiaGpus();
    if (!gpu) return { name, ok: false, reason: 'tfjs-node-gpu loads, but nvidia-smi finds no NVIDIA GPU/driver' };
    adapter = gpu;
  }
  if (!(await tf.setBackend('tensorflow'))) return { name, ok: false, reason: `${pkg} loaded but its backend failed to start` };
  const gflops = await matmulProbe('tensorflow', seconds);
  const reason = name === 'cuda' ? `CUDA through libtensorflow on ${adapter}` : 'native libtensorflow (multi-threaded CPU)';
  return { name, ok: true, reason, gflops, ...(adapter ? { adapter } : {}) };
}

async function probeWebGpu(seconds: number): Promise<ProbeResult> {
  let summary = null;
  const failures: string[] = [];
  for (const options of DAWN_OPTION_SETS) {
    try {
      summary = await installWebGpu(options);
      if (summary) break;
      failures.push(`${options.join(' ') || 'default'}: no adapter`);
    } catch (e) {
      failures.push(`${options.join(' ') || 'default'}: ${errorText(e)}`);
    }
  }
  if (!summary) return { name: 'webgpu', ok: false, reason: `no WebGPU adapter (${failures.join('; ')})` };
  try {
    await importOptional('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") returned false');
    const gflops = await matmulProbe('webgpu', seconds);
    return {
      name: 'webgpu',
      ok: true,
      reason: `WebGPU on ${summary.description}`,
      gflops,
      adapter: summary.description,
      software: summary.software,
      dawnOptions: summary.dawnOptions,
    };
  } catch (e) {
    return {
      name: 'webgpu',
      ok: false,
      reason: `adapter ${summary.description} found but tfjs-backend-webgpu failed: ${errorText(e)}`,
      adapter: summary.description,
      software: summary.software,
    };
  }
}

export async function probeNative(name: BackendName, seconds: number): Promise<ProbeResult> {
  switch (name) {
    case 'cuda':
    case 'tensorflow':
      return probeTfjsNode(name, seconds);
    case 'webgpu':
      return probeWebGpu(seconds);
    default:
      return { name, ok: false, reason: `${name} is not a native backend` };
  }
}
