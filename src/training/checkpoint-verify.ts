// What makes a checkpoint trustworthy before a single tensor is built from it: its format, a
// checksum over state.json itself (format 2; an edited `shape` or `bytes` would otherwise pass
// the weights checksum and fail deep inside tfjs), the weights checksum, and a tensor table that
// fits weights.bin. Every message names the checkpoint folder.
import { createHash } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import type { CheckpointState, TensorEntry } from './checkpoint-format.js';

/** Formats this version reads: 1 (no state checksum) and 2 (state.json covered by `stateSha256`). */
export const READABLE_CHECKPOINT_FORMATS: readonly number[] = [1, 2];

/** sha256 of state.json's content without its own `stateSha256` field (key order as written). */
export function stateChecksum(state: CheckpointState): string {
  const { stateSha256: _omitted, ...rest } = state;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

const BYTES_PER_VALUE = 4; // float32 and int32 alike

function entryProblem(entry: TensorEntry, weightsBytes: number): string | null {
  if (!entry || typeof entry !== 'object') return 'a tensor entry is not an object';
  const { name, shape, dtype, offset, bytes } = entry;
  if (dtype !== 'float32' && dtype !== 'int32') return `tensor ${String(name)} has dtype ${String(dtype)}`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `tensor ${String(name)} has shape ${JSON.stringify(shape)}`;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(bytes) || offset < 0 || bytes < 0) return `tensor ${String(name)} has offset ${offset} and size ${bytes}`;
  const values = shape.reduce((a, d) => a * d, 1);
  if (values * BYTES_PER_VALUE !== bytes) return `tensor ${String(name)}: shape ${shape.join('x')} needs ${values * BYTES_PER_VALUE} bytes, the table says ${bytes}`;
  if (offset + bytes > weightsBytes) return `tensor ${String(name)} lies beyond the end of weights.bin`;
  return null;
}

function tableProblem(state: CheckpointState): string | null {
  const groups = [...Object.values(state.networks ?? {}), ...Object.values(state.optimizers ?? {}), state.extra?.tensors ?? []];
  for (const entries of groups) {
    if (!Array.isArray(entries)) return 'its tensor table is not a list';
    for (const entry of entries) {
      const problem = entryProblem(entry, state.weightsBytes);
      if (problem) return problem;
    }
  }
  return null;
}

/** Throws CHECKPOINT_CORRUPT naming `dir` unless state.json and weights.bin are intact and agree. */
export function verifyCheckpoint(dir: string, state: CheckpointState, weights: Buffer): void {
  const corrupt = (why: string) => new AppError('CHECKPOINT_CORRUPT', `checkpoint ${dir}: ${why}`);
  if (!state || typeof state !== 'object' || Array.isArray(state)) throw corrupt('state.json does not hold an object');
  if (!READABLE_CHECKPOINT_FORMATS.includes(state.format)) {
    throw corrupt(`state.json has format ${String(state.format)}; this version reads formats ${READABLE_CHECKPOINT_FORMATS.join(' and ')}`);
  }
  if (state.format >= 2 && state.stateSha256 !== stateChecksum(state)) {
    throw corrupt('state.json does not match its checksum (edited or damaged)');
  }
  if (weights.byteLength !== state.weightsBytes || createHash('sha256').update(weights).digest('hex') !== state.weightsSha256) {
    throw corrupt('weights.bin does not match its checksum (truncated or damaged)');
  }
  if (!Number.isSafeInteger(state.step) || state.step < 0) throw corrupt(`state.json has step ${JSON.stringify(state.step)}`);
  const problem = tableProblem(state);
  if (problem) throw corrupt(`state.json: ${problem}`);
}
