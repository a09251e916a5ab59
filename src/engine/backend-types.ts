// Names and result shapes shared by the backend chooser, its child-process probe and callers.

import type { BackendName, BackendStatus } from '../contract/system.js';

/** User-facing backend names (from the contract); `cuda` is tfjs-node-gpu, `tensorflow` is CPU libtensorflow. */
export type { BackendName, BackendPref } from '../contract/system.js';

export const BACKEND_ORDER: readonly BackendName[] = ['cuda', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/** The tfjs backend each choice registers (tfjs-node and tfjs-node-gpu both say 'tensorflow'). */
export const TF_BACKEND: Record<BackendName, string> = {
  cuda: 'tensorflow',
  webgpu: 'webgpu',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** One row of the doctor table: the contract's BackendStatus plus the GPU adapter (webgpu). */
export interface BackendRow extends BackendStatus {
  adapter?: string;
}

/** What the probe child reports for one native backend. */
export interface ProbeResult {
  name: BackendName;
  ok: boolean;
  reason: string;
  gflops?: number;
  adapter?: string;
  /** webgpu: the adapter is a CPU rasteriser (llvmpipe, SwiftShader, lavapipe). */
  software?: boolean;
  /** webgpu: the Dawn options that produced the adapter, to be reused in-process. */
  dawnOptions?: string[];
}
