// Concat for the wasm backend with the short-run copy of split-v.ts.
//
// The shipped kernel already copies whole runs, but makes a `subarray` view for every one: on a
// channel concat (ESRGAN's dense blocks join 12–72-channel features, 2,048 pixels a batch) that
// is ~10,000 small objects per call, and Concat was 7% of an ESRGAN `small` step after #9
// (src/engine/README.md, optimisation log #10). Runs under 16 elements are copied in a loop.
import { backend_util, Concat, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { copyRun, type HeapBackend } from './split-v.js';

export function makeConcatConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: TensorInfo[]; backend: unknown; attrs: { axis: number } }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const sizes = inputs.map((t) => util.sizeFromShape(t.shape));
    // strings, empty parts and a lone input: the shipped kernel's own paths
    if (inputs.length < 2 || inputs[0]!.dtype === 'string' || sizes.some((n) => n === 0)) {
      return shipped.kernelFunc({ inputs: inputs as unknown as Record<string, TensorInfo>, backend: backend as object, attrs: { ...attrs } }) as TensorInfo;
    }
    const axis = util.parseAxisParam(attrs.axis, inputs[0]!.shape)[0]!;
    backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    const b = backend as HeapBackend;
    const out = b.makeOutput(backend_util.computeOutShape(inputs.map((t) => t.shape), axis), inputs[0]!.dtype);
    const outer = util.sizeFromShape(inputs[0]!.shape.slice(0, axis));
    const runs = inputs.map((t) => util.sizeFromShape(t.shape.slice(axis)));
    const total = runs.reduce((a, c) => a + c, 0);
    // views after the allocation: makeOutput may grow (and detach) the heap
    const dst = b.typedArrayFromHeap(out);
    let start = 0;
    inputs.forEach((t, i) => {
      const src = b.typedArrayFromHeap(t);
      const run = runs[i]!;
      for (let o = 0; o < outer; o++) copyRun(src, o * run, dst, o * total + start, run);
      start += run;
    });
    return out;
  };
  return {
    kernelName: Concat,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
