// Names and result shapes shared by the backend chooser, its child-process probe and callers.

/** User-facing backend names; `cuda` is tfjs-node-gpu, `tensorflow` is CPU libtensorflow. */
export type BackendName = 'cuda' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendPref = 'auto' | BackendName;

export const BACKEND_ORDER: readonly BackendName[] = ['cuda', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/** The tfjs backend each choice registers (tfjs-node and tfjs-node-gpu both say 'tensorflow'). */
export const TF_BACKEND: Record<BackendName, string> = {
  cuda: 'tensorflow',
  webgpu: 'webgpu',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface BackendRow {
  name: BackendName;
  available: boolean;
  /** Why it was chosen, skipped or failed, in words a user can act on. */
  reason: string;
  /** Matmul throughput measured while probing, when it was measured. */
  gflops?: number;
  /** GPU adapter description (webgpu). */
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
