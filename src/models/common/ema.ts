// Exponential moving average of a network's weights (Karras et al.): samples from the averaged
// generator are visibly smoother than from the raw, oscillating one. Used for sampling only.
import * as tf from '@tensorflow/tfjs';

export class WeightEma {
  private shadow: tf.Tensor[];
  private updates = 0;

  constructor(private readonly net: tf.LayersModel, private readonly decay = 0.999) {
    this.shadow = net.weights.map((w) => tf.keep(w.read().clone()));
  }

  /** Blends the current weights in; the warm-up keeps early samples from averaging in noise. */
  update(): void {
    const decay = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    const next = tf.tidy(() => this.net.weights.map((w, i) => tf.keep(tf.add(tf.mul(this.shadow[i]!, decay), tf.mul(w.read(), 1 - decay)))));
    for (const t of this.shadow) t.dispose();
    this.shadow = next;
    this.updates++;
  }

  /** Runs fn with the averaged weights swapped into the network, then restores the live ones. */
  withAveragedWeights<T>(fn: () => T): T {
    const live = this.net.weights.map((w) => w.read().clone());
    this.net.setWeights(this.shadow);
    try {
      return fn();
    } finally {
      this.net.setWeights(live);
      for (const t of live) t.dispose();
    }
  }

  /** Model-owned tensors, in network weight order: read them, don't dispose them. */
  state(): { updates: number; tensors: tf.Tensor[] } {
    return { updates: this.updates, tensors: this.shadow };
  }

  /** Copies the given tensors (the caller keeps ownership of its own). */
  restore(updates: number, tensors: tf.Tensor[]): void {
    if (tensors.length !== this.shadow.length) {
      throw new Error(`EMA state has ${tensors.length} tensors, the network has ${this.shadow.length} weights`);
    }
    for (const t of this.shadow) t.dispose();
    this.shadow = tensors.map((t) => tf.keep(t.clone()));
    this.updates = updates;
  }

  dispose(): void {
    for (const t of this.shadow) t.dispose();
    this.shadow = [];
  }
}
