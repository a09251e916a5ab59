// A small writer for ONNX graphs: named values, float/int64 initializers, nodes with attributes,
// and the ModelProto around them (opset 17, IR 8, metadata_props), serialised with the schema
// from `onnx-proto` (the ONNX project's own onnx.proto compiled by protobufjs). Only what our
// exporter emits is covered; the node list stays in topological order because the exporter
// walks the tfjs graph from its inputs.
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;

/** The opset every exported graph declares: DepthToSpace, Resize, Pad-with-input and the rest as of 17. */
export const ONNX_OPSET = 17;
/** IR version 8 goes with opset 17 (ONNX 1.12+); onnxruntime 1.14 and newer read it. */
const IR_VERSION = 8;

export type AttrValue = number | number[] | string | { floats: number[] } | { float: number };

/** A dimension: a fixed size, or a name for one the caller chooses at run time. */
export type Dim = number | string;

interface ValueInfo { name: string; dims: Dim[] }

export class OnnxGraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** A value name not used yet, derived from `base` (tfjs layer names are unique, but we add helpers). */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  input(name: string, dims: Dim[]): string {
    const n = this.fresh(name);
    this.inputs.push({ name: n, dims });
    return n;
  }

  output(value: string, dims: Dim[]): void {
    this.outputs.push({ name: value, dims });
  }

  /** A float32 initializer (weights); returns its name. */
  floats(name: string, data: Float32Array, dims: number[]): string {
    const n = this.fresh(name);
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new Error(`onnx export: ${name} has ${data.length} values for shape [${dims.join(', ')}]`);
    const copy = Float32Array.from(data); // a view of a wasm heap must not be serialised in place
    this.initializers.push({ name: n, dataType: onnx.TensorProto.DataType.FLOAT, dims, rawData: new Uint8Array(copy.buffer) });
    return n;
  }

  /** An int64 initializer (shapes, pads, axes), shared between nodes that need the same values. */
  ints(name: string, values: number[]): string {
    const key = `i64:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const n = this.fresh(name);
    const raw = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push({ name: n, dataType: onnx.TensorProto.DataType.INT64, dims: [values.length], rawData: new Uint8Array(raw.buffer) });
    this.constants.set(key, n);
    return n;
  }

  /** A float32 scalar constant, shared like ints(). */
  scalar(value: number): string {
    const key = `f32:${value}`;
    const known = this.constants.get(key);
    if (known) return known;
    const n = this.floats(`const_${String(value).replace(/[^0-9a-z]/gi, '_')}`, Float32Array.of(value), []);
    this.constants.set(key, n);
    return n;
  }

  /** Appends a node; returns its (single) output name. '' inputs are ONNX's "omitted optional input". */
  node(op: string, inputs: string[], outputName: string, attrs: Record<string, AttrValue> = {}): string {
    const out = this.fresh(outputName);
    this.nodes.push({ opType: op, name: out, input: inputs, output: [out], attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return out;
  }

  /** The serialised ModelProto. */
  encode(opts: { graphName: string; docString?: string; metadata: Record<string, string> }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'gan-studio',
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      ...(opts.docString ? { docString: opts.docString } : {}),
      metadataProps: Object.entries(opts.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: opts.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(v: ValueInfo): Onnx.IValueInfoProto {
  return {
    name: v.name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, v: AttrValue): Onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`onnx export: attribute ${name} must be a whole number (got ${v}); pass { float } for floats`);
    return { name, type: T.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.FLOAT, f: v.float };
}
