// Optimizer factory. Adam with β1 0.5 is the DCGAN recipe (Radford et al.), used by every
// generation family here. Optimizer state is saved by position (getWeights/setWeights), and
// tfjs's Adam matches accumulators to variables by position too, so order of varList matters:
// always pass a network's trainable variables in network order.
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export function createAdam({ lr, beta1 = 0.5, beta2 = 0.999, epsilon = 1e-8 }: AdamOptions): tf.Optimizer {
  return tf.train.adam(lr, beta1, beta2, epsilon);
}

/** A network's trainable variables in layer order (stable across processes, unlike names). */
export function trainableVariables(net: tf.LayersModel): tf.Variable[] {
  return net.trainableWeights.map((w) => w.read() as tf.Variable);
}
