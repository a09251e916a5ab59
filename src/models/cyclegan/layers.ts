// The layers the CycleGAN networks need that tfjs does not ship: reflection padding (the paper
// pads with reflected pixels so borders carry no artificial dark frame), instance normalisation
// (per image and channel over H×W, no affine parameters, as the reference code's
// InstanceNorm2d(affine=False)) and nearest-neighbour ×2 upsampling for resize-convolutions.
// All are built from differentiable tfjs ops, so gradients come from autodiff; cyclegan.test.ts
// checks instance norm's against finite differences and the upsampling's exactly.
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

/** Normalises each image's channels to zero mean, unit variance over H×W. */
export function instanceNorm(x: tf.Tensor4D, epsilon = 1e-5): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))) as tf.Tensor4D;
  });
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
    return tf.mirrorPad(single(inputs), [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
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
