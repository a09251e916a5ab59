// The two custom Keras layers the esrgan-thick models reference by class name. tfjs resolves
// class names through its serialization registry at load time, so these must be registered
// before `tf.loadLayersModel` sees a thick model.json.
import * as tf from '@tensorflow/tfjs';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

function firstInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** Residual scaling of the RRDB blocks: multiplies by β = 0.2. */
export class MultiplyBeta extends tf.layers.Layer {
  static readonly className = 'MultiplyBeta';
  readonly beta = 0.2;
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(firstInput(inputs), this.beta));
  }
}

/** depthToSpace by a fixed factor; channel count divided by factor². */
function pixelShuffleClass(factor: number) {
  return class PixelShuffle extends tf.layers.Layer {
    static readonly className = `PixelShuffle${factor}x`;
    readonly factor = factor;
    constructor(args: LayerArgs = {}) {
      super(args);
    }
    override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
      const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
      const up = (v: number | null | undefined) => (v == null ? null : v * factor);
      return [s[0] ?? null, up(s[1]), up(s[2]), s[3] == null ? null : s[3] / (factor * factor)];
    }
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.depthToSpace(firstInput(inputs) as tf.Tensor4D, factor, 'NHWC');
    }
  };
}

let registered = false;

/** Idempotent: registers MultiplyBeta and PixelShuffle{2,3,4,8}x with tfjs. */
export function registerEsrganCustomLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(MultiplyBeta);
  for (const factor of [2, 3, 4, 8]) tf.serialization.registerClass(pixelShuffleClass(factor));
  registered = true;
}
