// Layers the ESRGAN generator needs that tfjs lacks in a trainable form. Registered with tfjs's
// serialization so a saved topology (models:export) loads back.
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

function first(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
}

/**
 * depthToSpace (TF's NHWC channel order: out[b, h·r+i, w·r+j, c] = in[b, h, w, (i·r+j)·C+c]) from
 * reshape + one rank-4 transpose, because tfjs has no gradient for depthToSpace and some
 * backends' transposes stop at rank 4/5.
 */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const oc = c / (r * r);
  if (!Number.isInteger(oc)) throw new Error(`pixelShuffle: ${c} channels are not divisible by ${r}²`);
  return tf.tidy(() =>
    x
      .reshape([n * h, w, r, r * oc]) // (b·h, w, i, j·C+c)
      .transpose([0, 2, 1, 3]) //        (b·h, i, w, j·C+c) = memory order b, h, i, w, j, c
      .reshape([n, h * r, w * r, oc]),
  );
}

export class PixelShuffle extends tf.layers.Layer {
  static readonly className = 'GanStudioPixelShuffle';
  readonly factor: number;
  constructor(args: LayerArgs & { factor: number }) {
    super(args);
    this.factor = args.factor;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const up = (v: number | null | undefined) => (v == null ? null : v * this.factor);
    return [s[0] ?? null, up(s[1]), up(s[2]), s[3] == null ? null : s[3] / (this.factor * this.factor)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return pixelShuffle(first(inputs), this.factor);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** Residual scaling (ESRGAN's β = 0.2): keeps deep RRDB stacks stable without batch norm. */
export class ScaleBy extends tf.layers.Layer {
  static readonly className = 'GanStudioScaleBy';
  readonly scale: number;
  constructor(args: LayerArgs & { scale: number }) {
    super(args);
    this.scale = args.scale;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(first(inputs), this.scale);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}

/**
 * Bilinear upsampling of the network's own input (half-pixel centres, as image resizers do).
 * The generator learns only the residual over it, which trains far faster on a CPU budget.
 */
export class UpsampleBilinear extends tf.layers.Layer {
  static readonly className = 'GanStudioUpsampleBilinear';
  readonly factor: number;
  constructor(args: LayerArgs & { factor: number }) {
    super(args);
    this.factor = args.factor;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const up = (v: number | null | undefined) => (v == null ? null : v * this.factor);
    return [s[0] ?? null, up(s[1]), up(s[2]), s[3] ?? null];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = first(inputs);
    return tf.image.resizeBilinear(x, [x.shape[1] * this.factor, x.shape[2] * this.factor], false, true);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}

tf.serialization.registerClass(PixelShuffle);
tf.serialization.registerClass(ScaleBy);
tf.serialization.registerClass(UpsampleBilinear);
