// One network in the arena: its flat parameter block (weights, gradients, Adam moments, in
// net.weights order, so batch-norm running statistics sit inside it with zero gradients), and
// "instances" — one use of the network at some batch — with their activations, plus the
// dispatches of an instance's forward and backward pass.
import type * as tf from '@tensorflow/tfjs';
import { readBlocks, type Block, type ConvGeometry } from './graph.js';
import { ArenaLayout, DispatchRecorder, f32bits, flatGroups, type Region } from './gpu-context.js';
import { G, TILE_M, TILE_N, gemmShader, type GemmMode } from './wgsl-gemm.js';
import { ACT, NONE } from './wgsl-common.js';
import { BN, BN_FORWARD, CB, CHANNEL_BACKWARD, COLSUM, COLUMN_SUM, REDUCE_SPLITS, SPLITS } from './wgsl-kernels.js';

export interface NetParams {
  net: tf.LayersModel;
  blocks: Block[];
  /** every weight of net.weights, in the params block */
  weights: Region[];
  params: Region;
  grads: Region;
  m: Region;
  v: Region;
}

const volume = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function allocNetParams(layout: ArenaLayout, name: string, net: tf.LayersModel): NetParams {
  const blocks = readBlocks(net);
  const sizes = net.weights.map((w) => volume(w.shape as number[]));
  const total = sizes.reduce((a, b) => a + b, 0);
  const params = layout.alloc(`${name}/params`, total);
  let at = params.offset;
  const weights = sizes.map((length) => {
    const r = { offset: at, length };
    at += length;
    return r;
  });
  return { net, blocks, weights, params, grads: layout.alloc(`${name}/grads`, total), m: layout.alloc(`${name}/m`, total), v: layout.alloc(`${name}/v`, total) };
}

/** The gradient region of weight i (same position in the gradient block). */
function gradOf(p: NetParams, i: number): number {
  return p.grads.offset + (p.weights[i]!.offset - p.params.offset);
}

export interface NetInstance {
  p: NetParams;
  /** examples per group × groups (batch-norm statistics are per group) */
  rows: number;
  groups: number;
  input: Region;
  /** per block: pre-norm output (batch-norm blocks only), output, gradient of the output */
  pre: Array<Region | null>;
  out: Region[];
  grad: Region[];
  save: Array<Region | null>;
}

export function allocInstance(layout: ArenaLayout, name: string, p: NetParams, opts: { rows: number; groups: number; input: Region; output?: Region }): NetInstance {
  const { rows, groups } = opts;
  const last = p.blocks.length - 1;
  return {
    p, rows, groups, input: opts.input,
    pre: p.blocks.map((b, i) => (b.bn ? layout.alloc(`${name}/${i}/pre`, rows * b.outSize) : null)),
    out: p.blocks.map((b, i) => (i === last && opts.output ? opts.output : layout.alloc(`${name}/${i}/out`, rows * b.outSize))),
    grad: p.blocks.map((b, i) => layout.alloc(`${name}/${i}/grad`, rows * b.outSize)),
    save: p.blocks.map((b, i) => (b.bn ? layout.alloc(`${name}/${i}/stats`, 2 * groups * channels(b)) : null)),
  };
}

/** Output channels of the linear layer (its bias length). */
function units(b: Block): number {
  return b.direction === 'forward' ? b.geometry.SC : b.geometry.BC;
}

/** Channels the per-channel kernels (batch norm, activation backward) run over. */
function channels(b: Block): number {
  return b.bn ? b.bn.channels : units(b);
}

/** Split-K for a filter gradient: enough workgroups to fill a GPU, chunks a multiple of 16. */
export function wgradSplit(g: ConvGeometry, rows: number): { splits: number; chunk: number; M: number; NC: number; K: number } {
  const M = g.KH * g.KW * g.BC;
  const NC = g.SC;
  const K = rows * g.SH * g.SW;
  const tiles = Math.ceil(M / TILE_M) * Math.ceil(NC / TILE_N);
  const want = Math.min(64, Math.ceil(256 / tiles), Math.ceil(K / 256));
  const chunk = Math.ceil(K / Math.max(1, want) / 16) * 16;
  return { splits: Math.ceil(K / chunk), chunk, M, NC, K };
}

/** Emits GEMM dispatches; `scratch` holds split-K partials (sized by the plan). */
export class NetEmitter {
  constructor(private readonly rec: DispatchRecorder, private readonly scratch: Region) {}

  private gemm(mode: GemmMode, g: ConvGeometry, rows: number, off: { big: number; small: number; f: number; bias?: number; out?: number }, act: number, alpha: number): void {
    const pipeline = this.rec.pipeline(`gemm-${mode}`, gemmShader(mode));
    const base: Record<number, number> = {
      [G.N]: rows, [G.BH]: g.BH, [G.BW]: g.BW, [G.BC]: g.BC, [G.SH]: g.SH, [G.SW]: g.SW, [G.SC]: g.SC,
      [G.KH]: g.KH, [G.KW]: g.KW, [G.STRIDE]: g.stride, [G.PT]: g.pt, [G.PL]: g.pl,
      [G.OFF_B]: off.big, [G.OFF_S]: off.small, [G.OFF_F]: off.f, [G.OFF_BIAS]: off.bias ?? NONE,
      [G.ACT]: act, [G.ALPHA]: f32bits(alpha),
    };
    if (mode === 'gather') {
      const M = rows * g.SH * g.SW;
      this.rec.add(pipeline, { ...base, [G.M]: M, [G.NC]: g.SC, [G.K]: g.KH * g.KW * g.BC }, [Math.ceil(g.SC / TILE_N), Math.ceil(M / TILE_M), 1]);
    } else if (mode === 'scatter') {
      const s = g.stride;
      const M = rows * (g.BH / s) * (g.BW / s);
      const TH = Math.ceil(g.KH / s);
      const TW = Math.ceil(g.KW / s);
      this.rec.add(pipeline, { ...base, [G.M]: M, [G.NC]: g.BC, [G.K]: TH * TW * g.SC, [G.TH]: TH, [G.TW]: TW }, [Math.ceil(g.BC / TILE_N), Math.ceil(M / TILE_M), s * s]);
    } else {
      const { splits, chunk, M, NC, K } = wgradSplit(g, rows);
      const target = splits > 1 ? this.scratch.offset : off.out!;
      this.rec.add(pipeline, { ...base, [G.M]: M, [G.NC]: NC, [G.K]: K, [G.K_CHUNK]: chunk, [G.OFF_OUT]: target }, [Math.ceil(NC / TILE_N), Math.ceil(M / TILE_M), splits]);
      if (splits > 1) {
        const [x, y] = flatGroups(M * NC);
        this.rec.add(this.rec.pipeline('reduce-splits', REDUCE_SPLITS), { [SPLITS.GROUPS_X]: x, [SPLITS.LEN]: M * NC, [SPLITS.OFF_PARTIALS]: target, [SPLITS.SPLITS]: splits, [SPLITS.OFF_OUT]: off.out! }, [x, y, 1]);
      }
    }
  }

  /** Forward pass; `bnUpdates` = how many times the running statistics move per group. */
  forward(inst: NetInstance, bnUpdates: number): void {
    const { p } = inst;
    p.blocks.forEach((b, i) => {
      const x = i === 0 ? inst.input.offset : inst.out[i - 1]!.offset;
      const y = b.bn ? inst.pre[i]!.offset : inst.out[i]!.offset;
      const act = b.bn ? ACT.none : ACT[b.act];
      const bias = b.bias === null ? NONE : p.weights[b.bias]!.offset;
      const f = p.weights[b.kernel]!.offset;
      if (b.direction === 'forward') this.gemm('gather', b.geometry, inst.rows, { big: x, small: y, f, bias }, act, b.alpha);
      else this.gemm('scatter', b.geometry, inst.rows, { big: y, small: x, f, bias }, act, b.alpha);
      if (b.bn) {
        const C = channels(b);
        this.rec.add(this.rec.pipeline('bn-forward', BN_FORWARD), {
          [BN.C]: C, [BN.R]: (inst.rows / inst.groups) * (b.outSize / C), [BN.GROUPS]: inst.groups,
          [BN.OFF_X]: y, [BN.OFF_Y]: inst.out[i]!.offset,
          [BN.OFF_GAMMA]: p.weights[b.bn.gamma]!.offset, [BN.OFF_BETA]: p.weights[b.bn.beta]!.offset,
          [BN.OFF_MEAN]: p.weights[b.bn.mean]!.offset, [BN.OFF_VAR]: p.weights[b.bn.variance]!.offset,
          [BN.OFF_SAVE]: inst.save[i]!.offset, [BN.EPS]: f32bits(b.bn.epsilon), [BN.ONE_MINUS_MOMENTUM]: f32bits(b.bn.oneMinusMomentum),
          [BN.ACT]: ACT[b.act], [BN.ALPHA]: f32bits(b.alpha), [BN.UPDATES]: bnUpdates,
        }, [C, 1, 1]);
      }
    });
  }

  /**
   * Backward pass from inst.grad[last] (dL/d output). Writes the parameter gradients when
   * `paramGrads`, and dL/d input into `inputGrad` when given.
   */
  backward(inst: NetInstance, opts: { paramGrads: boolean; inputGrad?: Region }): void {
    const { p } = inst;
    for (let i = p.blocks.length - 1; i >= 0; i--) {
      const b = p.blocks[i]!;
      const dy = inst.grad[i]!.offset;
      const wantBias = opts.paramGrads && b.bias !== null;
      // the bias gradient rides along the channel kernel unless a reshape split its units
      const fusedBias = wantBias && channels(b) === units(b);
      if (b.bn || b.act !== 'none' || fusedBias) {
        const C = channels(b);
        this.rec.add(this.rec.pipeline('channel-backward', CHANNEL_BACKWARD), {
          [CB.C]: C, [CB.R]: (inst.rows / inst.groups) * (b.outSize / C), [CB.GROUPS]: inst.groups,
          [CB.OFF_DY]: dy, [CB.OFF_Y]: inst.out[i]!.offset, [CB.OFF_X]: b.bn ? inst.pre[i]!.offset : NONE,
          [CB.OFF_SAVE]: inst.save[i]?.offset ?? NONE, [CB.OFF_GAMMA]: b.bn ? p.weights[b.bn.gamma]!.offset : NONE,
          [CB.OFF_DGAMMA]: b.bn && opts.paramGrads ? gradOf(p, b.bn.gamma) : NONE,
          [CB.OFF_DBETA]: b.bn && opts.paramGrads ? gradOf(p, b.bn.beta) : NONE,
          [CB.OFF_DBIAS]: fusedBias ? gradOf(p, b.bias!) : NONE,
          [CB.EPS]: f32bits(b.bn?.epsilon ?? 0), [CB.ACT]: ACT[b.act], [CB.ALPHA]: f32bits(b.alpha), [CB.OFF_DX]: dy,
        }, [C, 1, 1]);
      }
      if (wantBias && !fusedBias) {
        const [gx, gy] = flatGroups(units(b));
        this.rec.add(this.rec.pipeline('column-sum', COLUMN_SUM), {
          [COLSUM.GROUPS_X]: gx, [COLSUM.COLS]: units(b), [COLSUM.ROWS]: inst.rows * (b.outSize / units(b)), [COLSUM.OFF_IN]: dy, [COLSUM.OFF_OUT]: gradOf(p, b.bias!),
        }, [gx, gy, 1]);
      }
      const x = i === 0 ? inst.input.offset : inst.out[i - 1]!.offset;
      const f = p.weights[b.kernel]!.offset;
      if (opts.paramGrads) {
        const [big, small] = b.direction === 'forward' ? [x, dy] : [dy, x];
        this.gemm('wgrad', b.geometry, inst.rows, { big, small, f: NONE, out: gradOf(p, b.kernel) }, ACT.none, 0);
      }
      const target = i > 0 ? inst.grad[i - 1]!.offset : opts.inputGrad?.offset;
      if (target === undefined) continue;
      if (b.direction === 'forward') this.gemm('scatter', b.geometry, inst.rows, { big: target, small: dy, f }, ACT.none, 0);
      else this.gemm('gather', b.geometry, inst.rows, { big: dy, small: target, f }, ACT.none, 0);
    }
  }
}

/** The largest split-K partial buffer the instances' filter gradients need. */
export function scratchFloats(instances: Array<{ p: NetParams; rows: number }>): number {
  let most = 0;
  for (const { p, rows } of instances) {
    for (const b of p.blocks) {
      const { splits, M, NC } = wgradSplit(b.geometry, rows);
      if (splits > 1) most = Math.max(most, splits * M * NC);
    }
  }
  return most;
}
