// The loaded models inference runs, whatever they were loaded from (a run, an imported TF.js
// folder, a pretrained ESRGAN). Types only, so the loaders (upscalers.ts, stylize.ts,
// imported-model.ts) share them without importing each other.
import type * as tf from '@tensorflow/tfjs';
import type { CycleGanModel } from '../models/cyclegan/model.js';

export interface Upscaler {
  id: string;
  scale: number;
  /** the value range the model takes and gives (0–255 slim/medium, 0–1 thick, −1–1 ours) */
  inputRange: [number, number];
  outputRange: [number, number];
  /** colour channels the model works on */
  channels: 1 | 3;
  bytesPerInputPixel?: number;
  predict(x: tf.Tensor4D): tf.Tensor4D;
  /** a model that runs outside tfjs (ONNX Runtime): the tiler awaits this instead of predict */
  predictAsync?(x: tf.Tensor4D): Promise<tf.Tensor4D>;
  /** a graph with a fixed input size: tiles are never larger than this edge */
  maxTile?: number;
  /** what runs it: tfjs (default) or ONNX Runtime (an .onnx model, or ours routed there) */
  engine?: 'tfjs' | 'ort';
  dispose(): void;
}

export interface Stylizer {
  runDir: string;
  model: CycleGanModel;
  channels: 1 | 3;
  /** working bytes per pixel at full resolution (for the tile size) */
  bytesPerPixel: number;
  checkpoint: string;
  /**
   * A model that runs outside tfjs (ONNX Runtime) translates here, [-1, 1] in and out; `model` is
   * then only disposed. Either direction may be missing from a one-graph model (the loader says).
   */
  translateAsync?(images: tf.Tensor4D, direction: 'a2b' | 'b2a'): Promise<tf.Tensor4D>;
  /** a graph with a fixed input size: tiles are never larger than this edge */
  maxTile?: number;
  engine?: 'tfjs' | 'ort';
}
