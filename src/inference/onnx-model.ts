// An image-to-image .onnx model (super-resolution, style transfer, restoration) run by ONNX
// Runtime behind the tfjs tensors the tiler passes around. What the file does not say is inferred:
// - layout: from the input's shape ([N, 3, H, W] is NCHW, [N, H, W, 3] NHWC; free channels → NCHW,
//   ONNX's usual), or from our exports' metadata_props;
// - scale: one probe run on a 32×32 input (output side / input side, a whole number 1–8);
// - value range: metadata_props, else what the import stored with the model, else [0, 1].
// A graph that does not map one image to one image (a classifier's [1, 1000] scores, two inputs,
// int8 inputs) is refused with the reason. A graph that needs sides of a multiple of 2–16 (an
// encoder-decoder halving the size) gets its input padded (reflected) and the output cropped back.
import * as tf from '@tensorflow/tfjs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../contract/errors.js';
import { createOrtSession, runOrt, type OrtSession } from '../engine/onnx-runtime.js';
import { ONNX_META } from '../models/onnx/export-onnx.js';
import { inspectOnnx, OnnxFileError, type OnnxTensorInfo } from '../models/onnx/inspect-onnx.js';

export type Range = readonly [number, number];
export interface StoredRanges { inputRange?: Range; outputRange?: Range }

export interface OnnxImageFacts {
  layout: 'NCHW' | 'NHWC';
  channels: 1 | 3;
  scale: number;
  inputRange: Range;
  outputRange: Range;
  /** a graph with a fixed input size runs on tiles of exactly that size */
  fixedSize: [number, number] | null;
  /** sides are padded (reflected) to a multiple of this and the output cropped back; 1 for most SR graphs */
  align: number;
  /** "NCHW float32, ×4, range [0, 1]" */
  summary: string;
}

export interface OnnxImageModel extends OnnxImageFacts {
  file: string;
  /** NHWC [1, h, w, C] in inputRange → NHWC [1, h·scale, w·scale, C'] in outputRange */
  run(x: tf.Tensor4D): Promise<tf.Tensor4D>;
  dispose(): Promise<void>;
}

/** The largest .onnx file accepted: protobuf cannot hold more than 2 GiB in one message. */
const MAX_ONNX_BYTES = 2 ** 31 - 1;
const PROBE = 32;

const refuse = (file: string, why: string) => new AppError('MODEL_INVALID', `${file}: ${why}; only image-to-image models (super-resolution, style transfer, restoration) run here`);
const shape = (t: OnnxTensorInfo) => `[${t.dims.map((d) => d ?? '?').join(', ')}]`;

function parseRange(text: string | undefined): Range | null {
  const parts = text?.split(',').map(Number);
  return parts?.length === 2 && parts.every(Number.isFinite) && parts[0] !== parts[1] ? [parts[0]!, parts[1]!] : null;
}

/** Layout and channels of a rank-4 image input, from its shape (or our metadata). */
function layoutOf(input: OnnxTensorInfo, declared: string | undefined): { layout: 'NCHW' | 'NHWC'; channels: 1 | 3 } {
  const isChannels = (d: number | null) => d === 1 || d === 3;
  const [, d1, , d3] = input.dims;
  let layout: 'NCHW' | 'NHWC' = 'NCHW';
  if (declared === 'NCHW' || declared === 'NHWC') layout = declared;
  else if (isChannels(d3 ?? null) && !isChannels(d1 ?? null)) layout = 'NHWC';
  const c = layout === 'NCHW' ? d1 : d3;
  return { layout, channels: c === 1 ? 1 : 3 };
}

/** Checks one image in, one image out, float32, and reads layout and ranges. */
function checkImageGraph(file: string, bytes: Uint8Array, stored: StoredRanges) {
  let info;
  try {
    info = inspectOnnx(bytes);
  } catch (error) {
    if (error instanceof OnnxFileError) throw new AppError('MODEL_INVALID', `${file}: ${error.message}`);
    throw error;
  }
  if (info.inputs.length !== 1) throw refuse(file, `the graph has ${info.inputs.length} inputs (${info.inputs.map((i) => i.name).join(', ')}), not one image`);
  const input = info.inputs[0]!;
  const output = info.outputs[0];
  if (!output) throw refuse(file, 'the graph has no output');
  if (input.type !== 'float32') throw refuse(file, `its input "${input.name}" is ${input.type}; only float32 inputs are supported (convert the model to float32)`);
  if (input.dims.length !== 4) throw refuse(file, `its input "${input.name}" is ${shape(input)}, not an image [N, C, H, W] or [N, H, W, C]`);
  if (output.dims.length !== 4) throw refuse(file, `its output "${output.name}" is ${shape(output)}${output.dims.length === 2 ? ' — a classifier\'s scores, not an image' : ', not an image'}`);
  const { layout, channels } = layoutOf(input, info.metadata[ONNX_META.layout]);
  const [h, w] = layout === 'NCHW' ? [input.dims[2], input.dims[3]] : [input.dims[1], input.dims[2]];
  const inputRange = parseRange(info.metadata[ONNX_META.inputRange]) ?? stored.inputRange ?? [0, 1];
  const outputRange = parseRange(info.metadata[ONNX_META.outputRange]) ?? stored.outputRange ?? inputRange;
  return { layout, channels, inputRange, outputRange, fixedSize: h && w ? [h, w] as [number, number] : null };
}

/** NHWC tensor → the graph's layout, run, → NHWC tensor. */
async function runNhwc(session: OrtSession, x: tf.Tensor4D, layout: 'NCHW' | 'NHWC'): Promise<tf.Tensor4D> {
  const feed = layout === 'NCHW' ? tf.tidy(() => x.transpose([0, 3, 1, 2])) : x;
  let data: Float32Array;
  try {
    data = (await feed.data()) as Float32Array;
  } finally {
    if (feed !== x) feed.dispose();
  }
  const out = await runOrt(session, data, feed.shape);
  if (out.dims.length !== 4) throw new AppError('MODEL_INVALID', `the model gave a [${out.dims.join(', ')}] output for an image`);
  return tf.tidy(() => {
    const y = tf.tensor4d(out.data, out.dims as [number, number, number, number]);
    return layout === 'NCHW' ? y.transpose([0, 2, 3, 1]) : y;
  });
}

/** Pads [1, h, w, C] on the bottom and right to `to` (reflected where the image is large enough). */
function padTo(x: tf.Tensor4D, to: [number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const ph = to[0] - h;
  const pw = to[1] - w;
  if (ph === 0 && pw === 0) return x.clone();
  if (ph < 0 || pw < 0) throw new AppError('INVALID_ARGUMENT', `a ${h}×${w} tile is larger than the model's fixed ${to[0]}×${to[1]} input`);
  const pads: Array<[number, number]> = [[0, 0], [0, ph], [0, pw], [0, 0]];
  return ph < h && pw < w ? tf.mirrorPad(x, pads, 'reflect') : tf.pad(x, pads);
}

type GraphFacts = Omit<OnnxImageFacts, 'scale' | 'summary' | 'align'>;

/** Runs mid-range gray of h×w; returns the output's [channels, height, width, rank]. */
async function probe(session: OrtSession, facts: GraphFacts, h: number, w: number): Promise<[number, number, number, number]> {
  const c = facts.channels;
  const mid = (facts.inputRange[0] + facts.inputRange[1]) / 2;
  const out = await runOrt(session, new Float32Array(h * w * c).fill(mid), facts.layout === 'NCHW' ? [1, c, h, w] : [1, h, w, c]);
  const [oc, oh, ow] = facts.layout === 'NCHW' ? [out.dims[1], out.dims[2], out.dims[3]] : [out.dims[3], out.dims[1], out.dims[2]];
  return [oc ?? 0, oh ?? 0, ow ?? 0, out.dims.length];
}

/**
 * The smallest multiple the sides must be padded to (1: any size): an encoder-decoder that
 * halves the size twice gives a wrong-sized output for sides that are not multiples of 4.
 * Padding only when needed keeps borders exact (padding changes what a conv sees there).
 */
async function probeAlign(session: OrtSession, facts: GraphFacts, scale: number): Promise<number> {
  if (facts.fixedSize) return 1;
  for (const align of [1, 2, 4, 8]) {
    const [h, w] = [PROBE + align, PROBE + 2 * align]; // h: a multiple of `align` but not of 2·align
    const ok = await probe(session, facts, h, w).then(([, oh, ow]) => oh === h * scale && ow === w * scale, () => false);
    if (ok) return align;
  }
  return 16;
}

/** Output side / input side on a probe of mid-range gray; refuses what is not an image-to-image map. */
async function probeScale(session: OrtSession, file: string, facts: GraphFacts): Promise<number> {
  const [h, w] = facts.fixedSize ?? [PROBE, PROBE];
  let oc, oh, ow, rank;
  try {
    [oc, oh, ow, rank] = await probe(session, facts, h, w);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse(file, `a probe run on a ${h}×${w} image failed (${(error as Error).message.split('\n')[0]})`);
  }
  const scale = oh / h;
  if (rank !== 4 || scale !== ow / w || !Number.isInteger(scale) || scale < 1 || scale > 8) {
    throw refuse(file, `a ${h}×${w} input gave ${oh}×${ow}, not the same size or a whole-number enlargement (×1 to ×8)`);
  }
  if (oc !== 1 && oc !== 3) throw refuse(file, `its output has ${oc} channels, not 1 (gray) or 3 (RGB)`);
  return scale;
}

async function readModelFile(file: string): Promise<Uint8Array> {
  const size = (await stat(file).catch(() => null))?.size;
  if (size === undefined) throw new AppError('NOT_FOUND', `${file} does not exist`);
  if (size > MAX_ONNX_BYTES) throw new AppError('MODEL_INVALID', `${file} is ${Math.round(size / 2 ** 30)} GiB; ONNX files over 2 GiB keep their weights outside (external data), which is not supported`);
  return readFile(file);
}

/** A model file, or a graph made in memory (our own networks converted for ONNX Runtime) with a name for messages. */
export type OnnxSource = string | { bytes: Uint8Array; label: string };

/** Checks the graph is image-to-image and probes its scale; the session stays open for the caller. */
async function openChecked(source: OnnxSource, stored: StoredRanges): Promise<{ session: OrtSession; facts: OnnxImageFacts }> {
  const file = typeof source === 'string' ? source : source.label;
  const bytes = typeof source === 'string' ? await readModelFile(source) : source.bytes;
  const graph = checkImageGraph(file, bytes, stored);
  const session = await createOrtSession(bytes, file);
  try {
    const scale = await probeScale(session, file, graph);
    const align = await probeAlign(session, graph, scale);
    const [lo, hi] = graph.inputRange;
    const summary = `${graph.layout} float32, ${graph.channels === 1 ? 'gray' : 'RGB'}, ×${scale}, range [${lo}, ${hi}]${graph.fixedSize ? `, fixed ${graph.fixedSize.join('×')} input` : ''} (${basename(file)})`;
    return { session, facts: { ...graph, scale, align, summary } };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** What an import stores about an .onnx file (layout, channels, scale, ranges), found without tfjs. */
export async function describeOnnxImageFile(file: string, stored: StoredRanges = {}): Promise<OnnxImageFacts> {
  const { session, facts } = await openChecked(file, stored);
  await session.release();
  return facts;
}

/** Opens `file` for inference. `stored`: the ranges an import saved (the file's metadata_props come first). */
export async function openOnnxImageModel(source: OnnxSource, stored: StoredRanges = {}): Promise<OnnxImageModel> {
  const { session, facts } = await openChecked(source, stored);
  const file = typeof source === 'string' ? source : source.label;
  const a = facts.align;
  const pad = (h: number, w: number): [number, number] => facts.fixedSize ?? [Math.ceil(h / a) * a, Math.ceil(w / a) * a];
  const s = facts.scale;
  const run = async (x: tf.Tensor4D): Promise<tf.Tensor4D> => {
    const [, h, w] = x.shape;
    const padded = tf.tidy(() => padTo(x, pad(h, w)));
    let y: tf.Tensor4D;
    try {
      y = await runNhwc(session, padded, facts.layout);
    } finally {
      padded.dispose();
    }
    if (y.shape[1] === h * s && y.shape[2] === w * s) return y;
    const cropped = tf.tidy(() => y.slice([0, 0, 0, 0], [1, h * s, w * s, y.shape[3]]));
    y.dispose();
    return cropped;
  };
  return { ...facts, file, run, dispose: () => session.release() };
}
