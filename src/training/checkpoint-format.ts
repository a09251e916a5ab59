// What goes into a checkpoint and how tensors become one binary blob. Tensors are saved by
// network order (net.weights, optimizer.getWeights()), never by tfjs's global variable names,
// which depend on how many layers a process happened to build before.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../contract/errors.js';
import type { GanModel, ResolvedSpec } from '../models/types.js';

/** 2: state.json carries `stateSha256` over its own content (checkpoint-verify.ts); 1 is still read. */
export const CHECKPOINT_FORMAT = 2;

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** byte offset in weights.bin */
  offset: number;
  bytes: number;
}

/** state.json: everything needed to resume, readable by a human. */
export interface CheckpointState {
  format: number;
  family: string;
  /** optimisation steps completed */
  step: number;
  configHash: string;
  spec: ResolvedSpec;
  /** the data source's cursor (epoch, position, ...) */
  cursor: Record<string, unknown>;
  createdAt: number;
  /** sliced-Wasserstein distance of samples vs held-out images (lower is better), when computed */
  score: number | null;
  /** the quality numbers behind `score` (checkpoint-score.ts); absent in older checkpoints */
  scores?: Record<string, number>;
  networks: Record<string, TensorEntry[]>;
  optimizers: Record<string, TensorEntry[]>;
  extra: { json: Record<string, unknown>; tensors: TensorEntry[] };
  weightsBytes: number;
  weightsSha256: string;
  /** format 2: sha256 of this object without this field (checkpoint-verify.ts) */
  stateSha256?: string;
}

export type CheckpointTensors = Pick<CheckpointState, 'networks' | 'optimizers' | 'extra'>;

class BlobWriter {
  private parts: Uint8Array[] = [];
  private offset = 0;
  async add(name: string, tensor: tf.Tensor): Promise<TensorEntry> {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const values = dtype === 'int32' ? Int32Array.from(await tensor.data()) : Float32Array.from(await tensor.data());
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const entry: TensorEntry = { name, shape: tensor.shape.slice(), dtype, offset: this.offset, bytes: bytes.byteLength };
    this.parts.push(bytes);
    this.offset += bytes.byteLength;
    return entry;
  }
  concat(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads every network, optimizer and extra tensor of the model into one buffer. */
export async function serializeModel(model: GanModel): Promise<{ tensors: CheckpointTensors; buffer: Buffer }> {
  const blob = new BlobWriter();
  const networks: Record<string, TensorEntry[]> = {};
  for (const [netName, net] of Object.entries(model.networks)) {
    networks[netName] = [];
    for (const [i, w] of net.weights.entries()) networks[netName].push(await blob.add(`${i}`, w.read()));
  }
  const optimizers: Record<string, TensorEntry[]> = {};
  for (const [optName, opt] of Object.entries(model.optimizers)) {
    const weights = await opt.getWeights();
    optimizers[optName] = [];
    for (const [i, w] of weights.entries()) optimizers[optName].push(await blob.add(i === 0 ? 'iter' : `${i}`, w.tensor));
    // getWeights returns a fresh scalar for the iteration count and the live accumulators after it
    if (weights[0]?.name === 'iter') weights[0].tensor.dispose();
  }
  const extraState = model.getExtraState();
  const extraTensors: TensorEntry[] = [];
  for (const [name, t] of Object.entries(extraState.tensors)) extraTensors.push(await blob.add(name, t));
  return { tensors: { networks, optimizers, extra: { json: extraState.json, tensors: extraTensors } }, buffer: blob.concat() };
}

function tensorFrom(buffer: Buffer, entry: TensorEntry): tf.Tensor {
  if (entry.offset + entry.bytes > buffer.byteLength) {
    throw new AppError('CHECKPOINT_CORRUPT', `tensor ${entry.name} lies beyond the end of weights.bin`);
  }
  // copy out of the (possibly unaligned) Buffer before viewing it as typed values
  const copy = buffer.buffer.slice(buffer.byteOffset + entry.offset, buffer.byteOffset + entry.offset + entry.bytes);
  const values = entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
  return tf.tensor(values, entry.shape, entry.dtype);
}

/**
 * Puts checkpoint tensors back into a freshly created model. `networks` limits which networks
 * load (inference needs only G); optimizers load only for resume.
 */
export async function restoreModel(
  model: GanModel,
  state: CheckpointTensors,
  buffer: Buffer,
  options: { networks?: readonly string[]; optimizers?: boolean; extra?: boolean } = {},
): Promise<void> {
  const wanted = options.networks ?? Object.keys(model.networks);
  for (const netName of wanted) {
    const net = model.networks[netName];
    const entries = state.networks[netName];
    if (!net || !entries) throw new AppError('CHECKPOINT_CORRUPT', `the checkpoint has no network "${netName}" (it has ${Object.keys(state.networks).join(', ')})`);
    if (entries.length !== net.weights.length) {
      throw new AppError('CHECKPOINT_CORRUPT', `network ${netName}: the checkpoint holds ${entries.length} weights, the model has ${net.weights.length}; was it saved by another version of the model?`);
    }
    const tensors = entries.map((e, i) => {
      const expected = net.weights[i]!.shape;
      if (expected.join('x') !== e.shape.join('x')) {
        throw new AppError('CHECKPOINT_CORRUPT', `network ${netName} weight ${i}: shape ${e.shape.join('x')} in the checkpoint, ${expected.join('x')} in the model`);
      }
      return tensorFrom(buffer, e);
    });
    net.setWeights(tensors);
    tf.dispose(tensors);
  }
  if (options.optimizers) {
    for (const [optName, opt] of Object.entries(model.optimizers)) {
      const entries = state.optimizers[optName];
      if (!entries) throw new AppError('CHECKPOINT_CORRUPT', `the checkpoint has no state for optimizer "${optName}"`);
      const named = entries.map((e) => ({ name: e.name, tensor: tensorFrom(buffer, e) }));
      await opt.setWeights(named);
      tf.dispose(named.map((n) => n.tensor));
    }
  }
  if (options.extra !== false) {
    const tensors = Object.fromEntries(state.extra.tensors.map((e) => [e.name, tensorFrom(buffer, e)]));
    model.setExtraState({ json: state.extra.json, tensors });
    tf.dispose(Object.values(tensors));
  }
}
