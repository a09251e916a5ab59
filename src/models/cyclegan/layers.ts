// The two layers the CycleGAN networks need that tfjs does not ship: reflection padding (the
// paper pads with reflected pixels so borders carry no artificial dark frame) and instance
// normalisation (per image and channel over H×W, no affine parameters, as the reference code's
// InstanceNorm2d(affine=False)). Both are built from differentiable tfjs ops, so gradients come
// from autodiff; instance-norm.test.ts checks them against finite differences.
import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
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
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const grow = (v: number | null) => (v === null ? null : v + 2 * this.pad);
    return [s[0] ?? null, grow(s[1] ?? null), grow(s[2] ?? null), s[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const p = this.pad;
    return tf.mirrorPad(single(inputs), [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pad: this.pad };
  }
}

tf.serialization.registerClass(InstanceNorm);
tf.serialization.registerClass(ReflectionPad2d);
