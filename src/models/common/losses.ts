// GAN losses on discriminator *logits*. The sigmoid of the classic GAN lives inside the BCE
// (softplus form): the same math as sigmoid + log, numerically stable, and the same D output
// then works with LSGAN and hinge too. Real label 1, fake 0; G is trained against the real label.
import * as tf from '@tensorflow/tfjs';

export const LOSS_IDS = ['bce', 'lsgan', 'hinge'] as const;
export type LossId = (typeof LOSS_IDS)[number];

/** mean(-log sigmoid(x)) = mean(softplus(-x)): BCE of logits x against label 1 */
function bceOnes(logits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(logits)));
}
/** mean(-log(1 - sigmoid(x))) = mean(softplus(x)): BCE of logits x against label 0 */
function bceZeros(logits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(logits));
}

export function discriminatorLoss(kind: LossId, realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'bce':
        return tf.add(bceOnes(realLogits), bceZeros(fakeLogits));
      case 'lsgan':
        return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(realLogits, 1))), tf.mean(tf.square(fakeLogits))));
      case 'hinge':
        return tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits))));
    }
  });
}

/** The generator's loss: non-saturating for BCE (maximise log D(G(z))). */
export function generatorLoss(kind: LossId, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'bce':
        return bceOnes(fakeLogits);
      case 'lsgan':
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeLogits, 1))));
      case 'hinge':
        return tf.neg(tf.mean(fakeLogits));
    }
  });
}

/**
 * Relativistic average GAN (ESRGAN): D judges whether real is more realistic than the average
 * fake and vice versa. Returns both sides so SR families can import it.
 */
export function relativisticAverageLosses(realLogits: tf.Tensor, fakeLogits: tf.Tensor): { d: tf.Scalar; g: tf.Scalar } {
  return tf.tidy(() => {
    const realRel = tf.sub(realLogits, tf.mean(fakeLogits));
    const fakeRel = tf.sub(fakeLogits, tf.mean(realLogits));
    const d = tf.mul(0.5, tf.add(bceOnes(realRel), bceZeros(fakeRel))) as tf.Scalar;
    const g = tf.mul(0.5, tf.add(bceZeros(realRel), bceOnes(fakeRel))) as tf.Scalar;
    return { d, g };
  });
}

/** mean(sigmoid(logits)): the "D(x)" / "D(G(z))" diagnostics, meaningful for every loss. */
export function meanProbability(logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sigmoid(logits)));
}
