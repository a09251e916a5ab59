// Identity for the wasm backend as a shared buffer, not a copy.
//
// tf.clone runs Identity, and tfjs clones on every customGrad save, every gradient that passes dy
// through unchanged and every tf.layers output it re-wraps: ~940 calls in a CycleGAN `small` step,
// each a memcpy of a whole activation in the shipped kernel. Tensors are immutable and the wasm
// backend counts references per buffer (its Reshape already shares), so the clone can share the
// buffer as the cpu backend's Identity does (src/engine/README.md, optimisation log #16).
// Strings keep the shipped kernel.
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function makeIdentityConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return shipped.kernelFunc({ ...args, backend: args.backend as object, attrs: {} }) as TensorInfo;
    (args.backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return {
    kernelName: Identity,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
