// Which ESRGAN-family network a state dict is, and its sizes, read from tensor names and shapes
// alone: RRDBNet (ESRGAN, Real-ESRGAN x4plus, the ×2/×1 variants that pixel-unshuffle their
// input) and SRVGGNetCompact (realesr-general, the anime-video models). Three RRDBNet naming
// schemes exist in the wild — BasicSR's (conv_first, body.N.rdbK), the ESRGAN repository's
// (RRDB_trunk.N.RDBK, trunk_conv, HRconv) and the old sequential one (model.0, model.1.sub.N) —
// and all map onto BasicSR's names. Every tensor must be one the network uses, with the exact
// shape the detected sizes imply; anything else is an error naming the tensor and the file.
import { AppError } from '../../contract/errors.js';

export type CommunityArchitecture =
  | {
    type: 'rrdbnet';
    inChannels: number; outChannels: number; features: number; blocks: number; growth: number;
    /** nearest ×2 + conv stages after the trunk */
    upsamples: number;
    /** pixel-unshuffle factor applied to the input first (Real-ESRGAN ×2: 2, ×1: 4) */
    unshuffle: number;
    scale: number;
  }
  | { type: 'srvgg'; inChannels: number; outChannels: number; features: number; convs: number; scale: number };

export interface DetectedModel {
  architecture: CommunityArchitecture;
  /** canonical (BasicSR) tensor name → the name in the file */
  names: Map<string, string>;
}

interface ShapeOnly { shape: number[] }

function invalid(file: string, message: string): AppError {
  return new AppError('MODEL_INVALID', `${file}: ${message}`);
}

/** The common wrappers of exported state dicts: params_ema., params., module. on every key. */
function stripPrefix(names: string[]): (name: string) => string {
  for (const prefix of ['params_ema.', 'params.', 'module.', 'model.module.']) {
    if (names.length > 0 && names.every((n) => n.startsWith(prefix))) return (n) => n.slice(prefix.length);
  }
  return (n) => n;
}

/** ESRGAN-repository and old sequential names → BasicSR names (old upsampling convs are resolved later). */
function basicsrName(name: string): string {
  let m = /^RRDB_trunk\.(\d+)\.RDB(\d)\.conv(\d)\.(weight|bias)$/.exec(name);
  if (m) return `body.${m[1]}.rdb${m[2]}.conv${m[3]}.${m[4]}`;
  m = /^(trunk_conv|upconv(\d)|HRconv)\.(weight|bias)$/.exec(name);
  if (m) return `${m[1] === 'trunk_conv' ? 'conv_body' : m[1] === 'HRconv' ? 'conv_hr' : `conv_up${m[2]}`}.${m[3]}`;
  m = /^model\.1\.sub\.(\d+)\.RDB(\d)\.conv(\d)\.0\.(weight|bias)$/.exec(name);
  if (m) return `body.${m[1]}.rdb${m[2]}.conv${m[3]}.${m[4]}`;
  if (/^model\.0\.(weight|bias)$/.test(name)) return name.replace('model.0', 'conv_first');
  return name;
}

/** Old sequential layout: model.1.sub.<blocks> is the trunk conv; model.N (N ≥ 2) are the upsampling convs, then HR, then last. */
function resolveOldLayout(names: Map<string, string>): void {
  const subs = [...names.keys()].map((n) => /^model\.1\.sub\.(\d+)\.(weight|bias)$/.exec(n)).filter((m) => m !== null);
  for (const m of subs) rename(names, m[0], `conv_body.${m[2]}`);
  const tail = [...new Set([...names.keys()].map((n) => /^model\.(\d+)\.(weight|bias)$/.exec(n)?.[1]).filter((i) => i !== undefined).map(Number))]
    .filter((i) => i >= 2).sort((a, b) => a - b);
  if (tail.length < 2) return;
  const canonical = [...tail.slice(0, -2).map((_, i) => `conv_up${i + 1}`), 'conv_hr', 'conv_last'];
  tail.forEach((index, i) => {
    for (const kind of ['weight', 'bias']) rename(names, `model.${index}.${kind}`, `${canonical[i]}.${kind}`);
  });
}

function rename(names: Map<string, string>, from: string, to: string): void {
  const source = names.get(from);
  if (source === undefined) return;
  names.delete(from);
  names.set(to, source);
}

/** What a canonical tensor must look like, in the order the network uses it. */
type Expected = Array<[name: string, shape: number[]]>;

function conv(name: string, out: number, inn: number, k = 3): Expected {
  return [[`${name}.weight`, [out, inn, k, k]], [`${name}.bias`, [out]]];
}

function rrdbExpected(a: Extract<CommunityArchitecture, { type: 'rrdbnet' }>): Expected {
  const nf = a.features;
  const gc = a.growth;
  const out: Expected = [...conv('conv_first', nf, a.inChannels * a.unshuffle ** 2)];
  for (let b = 0; b < a.blocks; b++) {
    for (let r = 1; r <= 3; r++) {
      for (let c = 1; c <= 5; c++) out.push(...conv(`body.${b}.rdb${r}.conv${c}`, c === 5 ? nf : gc, nf + (c - 1) * gc));
    }
  }
  out.push(...conv('conv_body', nf, nf));
  for (let u = 1; u <= a.upsamples; u++) out.push(...conv(`conv_up${u}`, nf, nf));
  out.push(...conv('conv_hr', nf, nf), ...conv('conv_last', a.outChannels, nf));
  return out;
}

function srvggExpected(a: Extract<CommunityArchitecture, { type: 'srvgg' }>): Expected {
  const out: Expected = [...conv('body.0', a.features, a.inChannels), ['body.1.weight', [a.features]]];
  for (let i = 1; i <= a.convs; i++) out.push(...conv(`body.${2 * i}`, a.features, a.features), [`body.${2 * i + 1}.weight`, [a.features]]);
  out.push(...conv(`body.${2 * a.convs + 2}`, a.outChannels * a.scale ** 2, a.features));
  return out;
}

function shapeOf(file: string, names: Map<string, string>, tensors: ReadonlyMap<string, ShapeOnly>, canonical: string, rank: number): number[] {
  const source = names.get(canonical);
  const shape = source === undefined ? undefined : tensors.get(source)?.shape;
  if (!shape) throw invalid(file, `tensor ${canonical} is missing; this is not a complete ESRGAN-family state dict`);
  if (shape.length !== rank) throw invalid(file, `tensor ${source} has shape [${shape.join(', ')}]; expected ${rank} dimensions`);
  return shape;
}

function detectRrdb(file: string, names: Map<string, string>, tensors: ReadonlyMap<string, ShapeOnly>): CommunityArchitecture {
  const first = shapeOf(file, names, tensors, 'conv_first.weight', 4);
  const last = shapeOf(file, names, tensors, 'conv_last.weight', 4);
  const features = first[0]!;
  const growth = shapeOf(file, names, tensors, 'body.0.rdb1.conv1.weight', 4)[0]!;
  const blocks = new Set([...names.keys()].map((n) => /^body\.(\d+)\./.exec(n)?.[1]).filter((b) => b !== undefined)).size;
  const upsamples = new Set([...names.keys()].map((n) => /^conv_up(\d+)\./.exec(n)?.[1]).filter((u) => u !== undefined)).size;
  const outChannels = last[0]!;
  const ratio = first[1]! / outChannels;
  const unshuffle = ratio === 1 ? 1 : ratio === 4 ? 2 : ratio === 16 ? 4 : 0;
  if (!unshuffle) throw invalid(file, `conv_first takes ${first[1]} channels for ${outChannels} out; expected 1, 4 or 16 times as many (pixel-unshuffle by 1, 2 or 4)`);
  const scale = 2 ** upsamples / unshuffle;
  if (![1, 2, 3, 4, 8].includes(scale) || upsamples === 0) throw invalid(file, `${upsamples} upsampling convs after a ×${unshuffle} pixel-unshuffle give scale ${scale}; only ×1–×8 are supported`);
  return { type: 'rrdbnet', inChannels: outChannels, outChannels, features, blocks, growth, upsamples, unshuffle, scale };
}

function detectSrvgg(file: string, names: Map<string, string>, tensors: ReadonlyMap<string, ShapeOnly>): CommunityArchitecture {
  const indices = [...names.keys()].map((n) => Number(/^body\.(\d+)\.weight$/.exec(n)?.[1])).filter((i) => Number.isInteger(i));
  const lastIndex = Math.max(...indices);
  const first = shapeOf(file, names, tensors, 'body.0.weight', 4);
  const last = shapeOf(file, names, tensors, `body.${lastIndex}.weight`, 4);
  if (!names.has('body.1.weight') || tensors.get(names.get('body.1.weight')!)!.shape.length !== 1) {
    throw invalid(file, 'SRVGGNetCompact without PReLU weights (body.1.weight): only the PReLU models are supported, the activation of others is not stored in the file');
  }
  const features = first[0]!;
  const inChannels = first[1]!;
  const ratio = last[0]! / inChannels;
  const scale = Math.round(Math.sqrt(ratio));
  if (scale * scale !== ratio || ![1, 2, 3, 4, 8].includes(scale)) {
    throw invalid(file, `the last conv (body.${lastIndex}) gives ${last[0]} channels for ${inChannels} in; expected ${inChannels} × scale² for a scale of 1–4 or 8`);
  }
  if (lastIndex % 2 !== 0 || lastIndex < 2) throw invalid(file, `body.${lastIndex} cannot be the last conv of an SRVGGNetCompact`);
  return { type: 'srvgg', inChannels, outChannels: inChannels, features, convs: (lastIndex - 2) / 2, scale };
}

/**
 * Detects the network behind `tensors` (name → shape) and checks every tensor against it.
 * `file` names the file in errors.
 */
export function detectArchitecture(file: string, tensors: ReadonlyMap<string, ShapeOnly>): DetectedModel {
  const strip = stripPrefix([...tensors.keys()]);
  const names = new Map<string, string>();
  for (const source of tensors.keys()) {
    const canonical = basicsrName(strip(source));
    if (names.has(canonical)) throw invalid(file, `tensors ${names.get(canonical)} and ${source} are the same weight under two names`);
    names.set(canonical, source);
  }
  let architecture: CommunityArchitecture;
  if (names.has('conv_first.weight') || names.has('model.1.sub.0.RDB1.conv1.0.weight')) {
    resolveOldLayout(names);
    architecture = detectRrdb(file, names, tensors);
  } else if (names.has('body.0.weight') && !names.has('conv_first.weight')) {
    architecture = detectSrvgg(file, names, tensors);
  } else {
    const sample = [...tensors.keys()].slice(0, 3).join(', ');
    throw invalid(file, `not an RRDBNet (no conv_first / RRDB_trunk / model.0) nor an SRVGGNetCompact (no body.0); first tensors: ${sample || 'none'}. Only ESRGAN-family super-resolution models can be imported from .safetensors`);
  }
  const expected = expectedTensors(architecture);
  const wanted = new Set(expected.map(([n]) => n));
  for (const [canonical, source] of names) {
    if (!wanted.has(canonical)) throw invalid(file, `tensor ${source} is not part of a ${describeArchitecture(architecture)}; the file holds extra weights (a different architecture?)`);
  }
  for (const [canonical, shape] of expected) {
    const source = names.get(canonical);
    if (source === undefined) throw invalid(file, `tensor ${canonical} is missing for a ${describeArchitecture(architecture)}`);
    const actual = tensors.get(source)!.shape;
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw invalid(file, `tensor ${source} has shape [${actual.join(', ')}]; a ${describeArchitecture(architecture)} needs [${shape.join(', ')}]`);
    }
  }
  return { architecture, names };
}

/** Every tensor the architecture needs, BasicSR names and PyTorch shapes, in the order the network uses them. */
export function expectedTensors(a: CommunityArchitecture): Array<[name: string, shape: number[]]> {
  return a.type === 'rrdbnet' ? rrdbExpected(a) : srvggExpected(a);
}

/** "RRDBNet, 23 blocks, 64 features, ×4" — what the CLI prints and the model card shows. */
export function describeArchitecture(a: CommunityArchitecture): string {
  if (a.type === 'rrdbnet') {
    const extras = [a.growth !== 32 ? `growth ${a.growth}` : '', a.unshuffle > 1 ? `pixel-unshuffle ${a.unshuffle}` : '', a.inChannels !== 3 ? `${a.inChannels} channels` : ''].filter(Boolean);
    return `RRDBNet, ${a.blocks} block${a.blocks === 1 ? '' : 's'}, ${a.features} features, ${extras.length ? `${extras.join(', ')}, ` : ''}×${a.scale}`;
  }
  return `SRVGGNetCompact, ${a.convs} convs, ${a.features} features, PReLU, ${a.inChannels !== 3 ? `${a.inChannels} channels, ` : ''}×${a.scale}`;
}

/** The sizes as plain numbers, for the model's sidecar. */
export function architectureParams(a: CommunityArchitecture): Record<string, number> {
  const { type: _type, ...rest } = a;
  return rest;
}
