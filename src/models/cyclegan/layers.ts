// The layers the CycleGAN networks need that tfjs does not ship: reflection padding (the paper
// pads with reflected pixels so borders carry no artificial dark frame), instance normalisation
// (per image and channel over H×W, no affine parameters, as the reference code's
// InstanceNorm2d(affine=False)) and nearest-neighbour ×2 upsampling for resize-convolutions.
// Gradients: instance norm and reflection padding have closed-form gradients (custom gradients;
// on wasm each direction is one fused kernel of src/engine/wasm-kernels, called by name), the
// upsampling's comes from autodiff. cyclegan.test.ts checks all three against finite differences
// or exactly.
import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
}

/** An NHWC shape with height and width mapped by `side` (unknown sides stay unknown). */
function mapSides(inputShape: Shape | Shape[], side: (v: number) => number): Shape {
  const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  const map = (v: number | null) => (v === null ? null : side(v));
  return [s[0] ?? null, map(s[1] ?? null), map(s[2] ?? null), s[3] ?? null];
}

// Kernels of src/engine/wasm-kernels (instance-norm.ts, mirror-pad.ts), registered for wasm only.
const WASM_KERNELS = { norm: 'GanStudioInstanceNorm', normGrad: 'GanStudioInstanceNormGrad', padGrad: 'GanStudioMirrorPadGrad' } as const;

/** Whether the active backend has our kernel `name` (only wasm does). */
function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** Normalises each image's channels to zero mean, unit variance over H×W. */
export function instanceNorm(x: tf.Tensor4D, epsilon = 1e-5): tf.Tensor4D {
  if (hasKernel(WASM_KERNELS.norm) && hasKernel(WASM_KERNELS.normGrad) && x.dtype === 'float32') {
    const op = tf.customGrad((input, save) => {
      (save as unknown as tf.GradSaveFunc)([input as tf.Tensor]);
      return {
        value: runKernel(WASM_KERNELS.norm, { x: input as tf.Tensor }, { epsilon }),
        gradFunc: (dy, saved) => runKernel(WASM_KERNELS.normGrad, { x: (saved as tf.Tensor[])[0]!, dy: dy as tf.Tensor }, { epsilon }),
      };
    });
    return op(x) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))) as tf.Tensor4D;
  });
}

type PadMode = 'reflect' | 'symmetric';

/**
 * dy of mirror padding folded back onto the source pixels along `axis`: each border row (or
 * column) adds to the inner one it copied, as PyTorch's ReflectionPad2d backward does.
 */
function foldAxis(dy: tf.Tensor4D, axis: 1 | 2, before: number, after: number, mode: PadMode): tf.Tensor4D {
  if (before === 0 && after === 0) return dy;
  const outer = dy.shape[axis];
  const len = outer - before - after;
  const off = mode === 'reflect' ? 1 : 0;
  const part = (start: number, size: number) => {
    const begin = [0, 0, 0, 0];
    const sizes = [...dy.shape] as number[];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.slice(dy, begin, sizes);
  };
  const padAlong = (t: tf.Tensor, lo: number, hi: number) => {
    const p: Array<[number, number]> = [[0, 0], [0, 0], [0, 0], [0, 0]];
    p[axis] = [lo, hi];
    return tf.pad(t, p);
  };
  let dx = part(before, len);
  // top border: padded row i (< before) copied source row before − i (reflect) → rows off..off+before
  if (before > 0) dx = tf.add(dx, padAlong(tf.reverse(part(0, before), axis), off, len - off - before));
  // bottom border: rows len − off − after .. len − off, in reverse order
  if (after > 0) dx = tf.add(dx, padAlong(tf.reverse(part(before + len, after), axis), len - off - after, off));
  return dx as tf.Tensor4D;
}

/** Reflection (or symmetric) padding of H and W with the full gradient (tfjs's drops the borders'). */
export function mirrorPad2d(x: tf.Tensor4D, pad: [[number, number], [number, number]], mode: PadMode = 'reflect'): tf.Tensor4D {
  const paddings: Array<[number, number]> = [[0, 0], pad[0], pad[1], [0, 0]];
  const op = tf.customGrad((input) => ({
    value: tf.mirrorPad(input as tf.Tensor4D, paddings, mode),
    gradFunc: (dy) => {
      const g = dy as tf.Tensor4D;
      if (hasKernel(WASM_KERNELS.padGrad) && g.dtype === 'float32') return runKernel(WASM_KERNELS.padGrad, { dy: g }, { paddings, mode });
      return tf.tidy(() => foldAxis(foldAxis(g, 1, pad[0][0], pad[0][1], mode), 2, pad[1][0], pad[1][1], mode));
    },
  }));
  return op(x) as tf.Tensor4D;
}

export class InstanceNorm extends tf.layers.Layer {
  static className = 'GanStudioInstanceNorm';
  private readonly epsilon: number;

  constructor(args: { epsilon?: number; name?: string } = {}) {
    super({ name: args.name });
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return instanceNorm(single(inputs), this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

export class ReflectionPad2d extends tf.layers.Layer {
  static className = 'GanStudioReflectionPad2d';
  private readonly pad: number;

  constructor(args: { pad: number; name?: string }) {
    super({ name: args.name });
    this.pad = args.pad;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return mapSides(inputShape, (v) => v + 2 * this.pad);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const p = this.pad;
    return mirrorPad2d(single(inputs), [[p, p], [p, p]], 'reflect');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pad: this.pad };
  }
}

/**
 * Nearest-neighbour ×2 upsampling from reshape + broadcast, whose gradient (a sum over each 2×2
 * block) every backend has: tfjs's upSampling2d needs ResizeNearestNeighborGrad, which the wasm
 * backend lacks.
 */
export class UpsampleNearest2d extends tf.layers.Layer {
  static className = 'GanStudioUpsampleNearest2d';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return mapSides(inputShape, (v) => v * 2);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const [n, h, w, c] = x.shape;
      // columns, then rows, each a rank-4 broadcast (tfjs's tile gradient stops at rank 4)
      const wide = tf.broadcastTo(x.reshape([n * h, w, 1, c]), [n * h, w, 2, c]);
      const tall = tf.broadcastTo(wide.reshape([n, h, 1, w * 2 * c]), [n, h, 2, w * 2 * c]);
      return tall.reshape([n, h * 2, w * 2, c]);
    });
  }
}

tf.serialization.registerClass(InstanceNorm);
tf.serialization.registerClass(UpsampleNearest2d);
tf.serialization.registerClass(ReflectionPad2d);
