// Reads what an .onnx file declares about itself without running it: its graph inputs (those
// that are not weights), outputs with their element types and shapes, opset and metadata_props.
// The ONNX loader decides layout, range and whether it is an image model from these.
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;

export interface OnnxTensorInfo {
  name: string;
  /** 'float32', 'float16', 'int64'… or 'type N' for element types we do not name */
  type: string;
  /** null for a dimension the file leaves free (a dim_param or nothing) */
  dims: Array<number | null>;
}

export interface OnnxFileInfo {
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  opset: number | null;
  producer: string;
  metadata: Record<string, string>;
}

const TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16' };

export class OnnxFileError extends Error {}

/** Decodes the ModelProto in `bytes`; throws OnnxFileError when it is not one. */
export function inspectOnnx(bytes: Uint8Array): OnnxFileInfo {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxFileError(`not an ONNX model (${(error as Error).message})`);
  }
  const graph = model.graph;
  if (!graph || !graph.node?.length) throw new OnnxFileError('the file holds no ONNX graph');
  const weights = new Set((graph.initializer ?? []).map((t) => t.name));
  const info = (v: Onnx.IValueInfoProto): OnnxTensorInfo => {
    const t = v.type?.tensorType;
    const dims = (t?.shape?.dim ?? []).map((d) => (d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : null));
    const elem = Number(t?.elemType ?? 0);
    return { name: v.name ?? '', type: TYPES[elem] ?? `type ${elem}`, dims };
  };
  const defaultDomain = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return {
    inputs: (graph.input ?? []).filter((v) => !weights.has(v.name ?? '')).map(info),
    outputs: (graph.output ?? []).map(info),
    opset: defaultDomain ? Number(defaultDomain.version) : null,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    metadata: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}
