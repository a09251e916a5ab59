// Shared plumbing for the wasm training kernels.
//
// A kernel function receives raw TensorInfos and must return raw TensorInfos: calling tf ops from
// inside a kernel would create engine-tracked tensors that nobody disposes. So the kernels here
// call the wasm backend's own kernel functions directly (as tfjs' built-in kernels do) and free
// every intermediate themselves through a Scratch list.
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The slice of the wasm backend's class that these kernels rely on. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/** Intermediates created while a kernel runs; `dispose` frees all but the ones kept. */
export class Scratch {
  private readonly made: TensorInfo[] = [];

  constructor(private readonly backend: WasmBackendLike) {}

  /** Runs the wasm kernel `name`; the result is freed by `dispose` unless passed to `keep`. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(name, 'wasm');
    if (config == null) throw new Error(`wasm kernel ${name} is not registered`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** A new float32 tensor on the wasm heap (uninitialised). */
  alloc(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.made.push(out);
    return out;
  }

  /**
   * A Float32Array over `t`'s heap memory. Any later allocation may grow (and so detach) the
   * heap: take views only after the last `alloc`/`run` that precedes their use.
   */
  view(t: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t);
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** Zero padding; `paddings` is [before, after] per axis. */
  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Removes `t` from the dispose list: the caller hands it to the engine as the kernel output. */
  keep(t: TensorInfo): TensorInfo {
    const i = this.made.lastIndexOf(t);
    if (i >= 0) this.made.splice(i, 1);
    return t;
  }

  dispose(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Runs `body` with a Scratch and frees its intermediates even when `body` throws. */
export function withScratch(backend: unknown, body: (s: Scratch) => TensorInfo): TensorInfo {
  const s = new Scratch(backend as WasmBackendLike);
  try {
    return s.keep(body(s));
  } finally {
    s.dispose();
  }
}

/** NCHW callers are served by transposing to NHWC: the wasm Conv2D kernel only takes NHWC. */
export function toNhwc(s: Scratch, x: TensorInfo, dataFormat: string | undefined): TensorInfo {
  return dataFormat === 'NCHW' ? s.transpose(x, [0, 2, 3, 1]) : x;
}

export function nhwcShape(shape: number[], dataFormat: string | undefined): [number, number, number, number] {
  const [a, b, c, d] = shape as [number, number, number, number];
  return dataFormat === 'NCHW' ? [a, c, d, b] : [a, b, c, d];
}
