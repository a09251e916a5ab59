// A tfjs layers model as an ONNX graph. The graph is read from the model's own symbolic tensors
// (each knows the layer and the input tensors that made it), so functional models (ESRGAN's
// dense blocks, CycleGAN's residual adds) and sequential ones (the classic GAN, DCGAN) convert
// the same way, and layers shared with other models (a training graph) are not followed.
//
// What the exported graph takes and gives (also written into metadata_props, see ONNX_META):
// - images are NCHW float32 in [0, 1], whatever range the network works in internally (ours
//   work in [-1, 1], esrgan-slim/medium in 0–255): the range mapping is part of the graph;
// - a generator takes z, [N, latent] of N(0, 1) values, and gives [N, C, H, W] in [0, 1].
import type * as tf from '@tensorflow/tfjs';
import { CONVERTERS, UnsupportedLayerError, type Val } from './layer-converters.js';
import { OnnxGraphBuilder, type Dim } from './onnx-builder.js';

/** metadata_props keys our exports write and our ONNX loader reads first. */
export const ONNX_META = {
  layout: 'gan_studio.layout',
  inputRange: 'gan_studio.input_range',
  outputRange: 'gan_studio.output_range',
  task: 'gan_studio.task',
  scale: 'gan_studio.scale',
  latentSize: 'gan_studio.latent_size',
  direction: 'gan_studio.direction',
  source: 'gan_studio.source',
} as const;

export interface OnnxExportSpec {
  /** image in (the network's input range) or a latent vector in */
  input: { kind: 'image'; range: readonly [number, number] } | { kind: 'latent' };
  /** the range of the network's output; the graph maps it to [0, 1] */
  outputRange: readonly [number, number];
  graphName: string;
  /** extra metadata_props (task, scale, where it came from) */
  metadata?: Record<string, string>;
}

export class OnnxExportError extends Error {}

/** Adds `x·mul + add` unless it is the identity. */
function affine(b: OnnxGraphBuilder, x: Val, mul: number, add: number, name: string): Val {
  let y = x.name;
  if (mul !== 1) y = b.node('Mul', [y, b.scalar(mul)], `${name}_mul`);
  if (add !== 0) y = b.node('Add', [y, b.scalar(add)], `${name}_add`);
  return { ...x, name: y };
}

/** Serialises `model` (one input, one output) as an ONNX ModelProto. */
export function layersModelToOnnx(model: tf.LayersModel, spec: OnnxExportSpec): Uint8Array {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new OnnxExportError(`${model.name}: ${model.inputs.length} inputs and ${model.outputs.length} outputs; only one of each converts`);
  }
  const b = new OnnxGraphBuilder();
  const symIn = model.inputs[0]!;
  const symOut = model.outputs[0]!;
  const values = new Map<number, Val>();
  let input: Val;
  let inputDims: Dim[];
  if (spec.input.kind === 'image') {
    if (symIn.shape.length !== 4) throw new OnnxExportError(`${model.name}: an image input must be [N, H, W, C], got [${symIn.shape.join(', ')}]`);
    const [, h, w, c] = symIn.shape as [null, number | null, number | null, number];
    inputDims = ['batch', c, h ?? 'height', w ?? 'width'];
    const name = b.input('image', inputDims);
    const [lo, hi] = spec.input.range;
    input = affine(b, { name, rank: 4, channels: c }, hi - lo, lo, 'input_range');
  } else {
    if (symIn.shape.length !== 2) throw new OnnxExportError(`${model.name}: a latent input must be [N, size], got [${symIn.shape.join(', ')}]`);
    const size = symIn.shape[1] as number;
    inputDims = ['batch', size];
    input = { name: b.input('z', inputDims), rank: 2, channels: size };
  }
  values.set(symIn.id, input);

  const convert = (t: tf.SymbolicTensor): Val => {
    const known = values.get(t.id);
    if (known) return known;
    const layer = t.sourceLayer;
    const cls = layer.getClassName();
    if (cls === 'InputLayer') throw new OnnxExportError(`${model.name}: reached input ${layer.name}, which is not the model's input`);
    const converter = CONVERTERS[cls];
    if (!converter) throw new OnnxExportError(`${model.name}: layer ${layer.name} is a ${cls}, which the ONNX exporter does not convert (known: ${Object.keys(CONVERTERS).join(', ')})`);
    const inputs = t.inputs.map(convert);
    let v: Val;
    try {
      v = converter(b, layer, inputs, layer.getConfig() as Record<string, unknown>);
    } catch (error) {
      if (error instanceof UnsupportedLayerError) throw new OnnxExportError(`${model.name}: ${error.message}; the ONNX exporter cannot convert it`);
      throw error;
    }
    values.set(t.id, v);
    return v;
  };
  let out = convert(symOut);
  if (out.rank !== 4) throw new OnnxExportError(`${model.name}: the output is not an image (rank ${out.rank}); only image-making networks are exported`);
  const [lo, hi] = spec.outputRange;
  out = affine(b, out, 1 / (hi - lo), -lo / (hi - lo), 'output_range');
  const [, oh, ow, oc] = symOut.shape as [null, number | null, number | null, number];
  const outName = b.node('Identity', [out.name], 'output');
  b.output(outName, ['batch', oc, oh ?? 'out_height', ow ?? 'out_width']);

  const metadata: Record<string, string> = {
    [ONNX_META.layout]: 'NCHW',
    [ONNX_META.inputRange]: spec.input.kind === 'image' ? '0,1' : 'normal',
    [ONNX_META.outputRange]: '0,1',
    ...spec.metadata,
  };
  const docString = spec.input.kind === 'image'
    ? 'Exported by GAN Studio. Input "image": float32 NCHW [N, C, H, W] in [0, 1]. Output "output": float32 NCHW in [0, 1].'
    : 'Exported by GAN Studio. Input "z": float32 [N, latent] drawn from N(0, 1). Output "output": float32 NCHW [N, C, H, W] in [0, 1].';
  return b.encode({ graphName: spec.graphName, docString, metadata });
}
