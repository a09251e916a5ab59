// Batch normalisation whose training-mode gradient is the closed form, not tfjs' op-by-op chain.
//
// tfjs-layers trains batch norm as tf.moments + tf.batchNorm and lets autodiff walk back through
// both: about 26 full-size element-wise ops per layer per backward pass (the FusedBatchNorm
// gradient's 14 plus the moments' mean/square/sub gradients and the adds that merge three paths
// into dx). The textbook result needs 9:
//   x̂ = (x − μ)·σ⁻¹,  dβ = Σdy,  dγ = Σ(dy·x̂),  dx = γσ⁻¹·(dy − dβ/N − x̂·dγ/N)
// On wasm every such op is a pass over memory, so this is ~10% of a DCGAN-32 step
// (src/engine/README.md, optimisation log). The forward pass, the weights, their names and order,
// the moving averages and the serialised class name are exactly tf.layers.batchNormalization's,
// so checkpoints and exported models are unchanged; inference runs the stock code.
import * as tf from '@tensorflow/tfjs';

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** The stock layer's fields this subclass reads (set by its constructor and build()). */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

// tfjs-layers exports the class only through its factory.
const StockBatchNorm = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (args: BatchNormArgs) => tf.layers.Layer;

/** x [..., C] normalised over every axis but the last, with the closed-form gradient. */
function normalizeInTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const op = tf.customGrad((xIn, g, b, saveArg) => {
    const input = xIn as tf.Tensor;
    const save = saveArg as unknown as tf.GradSaveFunc;
    // Inside customGrad nothing is taped: the moments' own gradient chain never exists.
    const moments = tf.moments(input, axes);
    mean = tf.keep(moments.mean as tf.Tensor1D);
    variance = tf.keep(moments.variance as tf.Tensor1D);
    save([input, mean, variance, g as tf.Tensor1D]);
    return {
      value: tf.batchNorm(input, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, epsilon),
      gradFunc: (dy, saved) => {
        const [xs, mu, v, gam] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const grad = dy as tf.Tensor;
        const n = xs.size / xs.shape[xs.rank - 1]!;
        const inv = tf.rsqrt(tf.add(v, epsilon));
        const xhat = tf.mul(tf.sub(xs, mu), inv);
        const dBeta = tf.sum(grad, axes);
        const dGamma = tf.sum(tf.mul(grad, xhat), axes);
        const centred = tf.sub(tf.sub(grad, tf.div(dBeta, n)), tf.mul(xhat, tf.div(dGamma, n)));
        return [tf.mul(centred, tf.mul(gam, inv)), dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta);
  return { y, mean: mean!, variance: variance! };
}

export class ClosedFormBatchNorm extends StockBatchNorm {
  // Serialised (and auto-named) as the stock layer: the math and the weights are the same.
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const self = this as unknown as BatchNormInternals;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    if (kwargs.training !== true || !lastAxis || !self.center || !self.scale) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = normalizeInTraining(x, self.gamma.read() as tf.Tensor1D, self.beta.read() as tf.Tensor1D, self.epsilon);
      // the stock layer's moving-average update, verbatim
      for (const [variable, value] of [[self.movingMean, mean], [self.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const orig = variable.read();
          variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - self.momentum)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  }
}

/** Drop-in for tf.layers.batchNormalization (last-axis normalisation trains with the closed form). */
export function batchNormalization(args: BatchNormArgs = {}): tf.layers.Layer {
  return new ClosedFormBatchNorm(args);
}

/**
 * Runs fn — a training-mode pass through net — and leaves net's batch-norm running statistics
 * (its non-trainable weights) as they were before it. The GAN step runs G forward in D's half
 * only to make the fakes D judges; PyTorch's loop makes them once per step (and detaches them
 * for D), so the running statistics our samples use must move once per step, not twice.
 */
export function keepingRunningStatistics<T>(net: tf.LayersModel, fn: () => T): T {
  const saved = net.nonTrainableWeights.map((w) => tf.keep(w.read().clone()));
  try {
    return fn();
  } finally {
    net.nonTrainableWeights.forEach((w, i) => w.write(saved[i]!));
    tf.dispose(saved);
  }
}
