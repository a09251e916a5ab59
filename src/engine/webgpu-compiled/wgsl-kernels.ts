// The non-GEMM kernels of a compiled step. Each is one dispatch over arena ranges; the word
// indices of their parameter slots are exported beside them for the plan.
import { ACT_WGSL, HEADER_WGSL, REDUCE_WGSL } from './wgsl-common.js';

/**
 * Batch norm (training statistics) fused with its activation: one workgroup per channel; rows
 * are split into `groups` batches normalised separately (D sees real and fake as two tfjs calls,
 * here one pass over both). Keeps mean/variance for the backward pass and moves the running
 * statistics as tfjs-layers does — `updates` times per group (1 in every step today; kept as a
 * parameter for plans where one compiled forward stands for several tfjs calls).
 */
export const BN = {
  C: 0, R: 1, GROUPS: 2, OFF_X: 3, OFF_Y: 4, OFF_GAMMA: 5, OFF_BETA: 6, OFF_MEAN: 7, OFF_VAR: 8,
  OFF_SAVE: 9, EPS: 10, ONE_MINUS_MOMENTUM: 11, ACT: 12, ALPHA: 13, UPDATES: 14,
} as const;

export const BN_FORWARD = HEADER_WGSL + ACT_WGSL + REDUCE_WGSL + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let c = wg.x; let t = lid.x; let C = pu(${BN.C}); let R = pu(${BN.R}); let G = pu(${BN.GROUPS});
  let gamma = A[pu(${BN.OFF_GAMMA}) + c]; let beta = A[pu(${BN.OFF_BETA}) + c];
  for (var g = 0u; g < G; g = g + 1u) {
    let base = pu(${BN.OFF_X}) + g * R * C + c;
    var s = 0.0;
    for (var r = t; r < R; r = r + 256u) { s = s + A[base + r * C]; }
    let mean = wgSum(s, t) / f32(R);
    var q = 0.0;
    for (var r = t; r < R; r = r + 256u) { let d = A[base + r * C] - mean; q = q + d * d; }
    let variance = wgSum(q, t) / f32(R);
    if (t == 0u) {
      A[pu(${BN.OFF_SAVE}) + g * C + c] = mean;
      A[pu(${BN.OFF_SAVE}) + (G + g) * C + c] = variance;
      let k = pf(${BN.ONE_MINUS_MOMENTUM});
      for (var u = 0u; u < pu(${BN.UPDATES}); u = u + 1u) {
        let m = A[pu(${BN.OFF_MEAN}) + c]; A[pu(${BN.OFF_MEAN}) + c] = m - (m - mean) * k;
        let v = A[pu(${BN.OFF_VAR}) + c]; A[pu(${BN.OFF_VAR}) + c] = v - (v - variance) * k;
      }
    }
    let inv = inverseSqrt(variance + pf(${BN.EPS}));
    let out = pu(${BN.OFF_Y}) + g * R * C + c;
    for (var r = t; r < R; r = r + 256u) {
      let y = (A[base + r * C] - mean) * inv * gamma + beta;
      A[out + r * C] = act(y, pu(${BN.ACT}), pf(${BN.ALPHA}));
    }
  }
}
`;

/**
 * The backward of [bias →] [batch norm →] activation for one channel per workgroup:
 * dz = dy·act'(y), then (with batch norm) the closed form dx = γσ⁻¹(dz − Σdz/R − x̂·Σ(dz·x̂)/R)
 * per group; writes dx, and Σdz·x̂ / Σdz / Σdx as the γ / β / preceding-bias gradients when
 * their offsets are not NONE. dx may alias dy (each element is read, then written, by one thread).
 */
export const CB = {
  C: 0, R: 1, GROUPS: 2, OFF_DY: 3, OFF_Y: 4, OFF_X: 5, OFF_SAVE: 6, OFF_GAMMA: 7, OFF_DGAMMA: 8,
  OFF_DBETA: 9, OFF_DBIAS: 10, EPS: 11, ACT: 12, ALPHA: 13, OFF_DX: 14,
} as const;

export const CHANNEL_BACKWARD = HEADER_WGSL + ACT_WGSL + REDUCE_WGSL + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let c = wg.x; let t = lid.x; let C = pu(${CB.C}); let R = pu(${CB.R}); let G = pu(${CB.GROUPS});
  let kind = pu(${CB.ACT}); let alpha = pf(${CB.ALPHA});
  let hasBn = pu(${CB.OFF_X}) != 0xffffffffu;
  var dGamma = 0.0; var dBeta = 0.0; var dBias = 0.0;
  for (var g = 0u; g < G; g = g + 1u) {
    let rowBase = g * R * C + c;
    var mean = 0.0; var inv = 1.0; var gamma = 1.0;
    if (hasBn) {
      mean = A[pu(${CB.OFF_SAVE}) + g * C + c];
      inv = inverseSqrt(A[pu(${CB.OFF_SAVE}) + (G + g) * C + c] + pf(${CB.EPS}));
      gamma = A[pu(${CB.OFF_GAMMA}) + c];
    }
    var sb = 0.0; var sg = 0.0;
    if (hasBn) {
      for (var r = t; r < R; r = r + 256u) {
        let i = rowBase + r * C;
        let dz = A[pu(${CB.OFF_DY}) + i] * actGrad(A[pu(${CB.OFF_Y}) + i], kind, alpha);
        sb = sb + dz;
        sg = sg + dz * (A[pu(${CB.OFF_X}) + i] - mean) * inv;
      }
      sb = wgSum(sb, t); sg = wgSum(sg, t);
    }
    var sx = 0.0;
    let n = f32(R);
    for (var r = t; r < R; r = r + 256u) {
      let i = rowBase + r * C;
      let dz = A[pu(${CB.OFF_DY}) + i] * actGrad(A[pu(${CB.OFF_Y}) + i], kind, alpha);
      var dx = dz;
      if (hasBn) {
        let xhat = (A[pu(${CB.OFF_X}) + i] - mean) * inv;
        dx = (dz - sb / n - xhat * (sg / n)) * (gamma * inv);
      }
      A[pu(${CB.OFF_DX}) + i] = dx;
      sx = sx + dx;
    }
    dGamma = dGamma + sg; dBeta = dBeta + sb;
    dBias = dBias + wgSum(sx, t);
  }
  if (t == 0u) {
    if (pu(${CB.OFF_DGAMMA}) != 0xffffffffu) { A[pu(${CB.OFF_DGAMMA}) + c] = dGamma; }
    if (pu(${CB.OFF_DBETA}) != 0xffffffffu) { A[pu(${CB.OFF_DBETA}) + c] = dBeta; }
    if (pu(${CB.OFF_DBIAS}) != 0xffffffffu) { A[pu(${CB.OFF_DBIAS}) + c] = dBias; }
  }
}
`;

/**
 * GAN loss on D's logits and its gradient (src/models/common/losses.ts, same math). `mode` 0:
 * the D loss over 2N logits (real first), writes loss/D, D(x), D(G(z)); mode 1: the generator
 * loss over N fake logits, writes loss/G. Scalars: [loss/G, loss/D, D(x), D(G(z))].
 */
export const LOSS = { N: 0, KIND: 1, MODE: 2, OFF_LOGITS: 3, OFF_DLOGITS: 4, OFF_SCALARS: 5 } as const;
export const LOSS_KINDS = { bce: 0, lsgan: 1, hinge: 2 } as const;

export const GAN_LOSS = HEADER_WGSL + REDUCE_WGSL + /* wgsl */ `
fn softplus(x: f32) -> f32 { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
// loss of one logit against label 1 (real) or 0 (fake), and its derivative
fn term(x: f32, real: bool, kind: u32) -> vec2<f32> {
  switch kind {
    case 1u: { let d = select(x, x - 1.0, real); return vec2<f32>(0.5 * d * d, d); }
    case 2u: {
      if (real) { return vec2<f32>(max(1.0 - x, 0.0), select(0.0, -1.0, 1.0 - x > 0.0)); }
      return vec2<f32>(max(1.0 + x, 0.0), select(0.0, 1.0, 1.0 + x > 0.0));
    }
    default: {
      if (real) { return vec2<f32>(softplus(-x), sigmoid(x) - 1.0); }
      return vec2<f32>(softplus(x), sigmoid(x));
    }
  }
}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x; let N = pu(${LOSS.N}); let kind = pu(${LOSS.KIND}); let nf = f32(N);
  let out = pu(${LOSS.OFF_SCALARS});
  if (pu(${LOSS.MODE}) == 0u) {
    var lr = 0.0; var lf = 0.0; var pr = 0.0; var pfk = 0.0;
    for (var i = t; i < 2u * N; i = i + 256u) {
      let x = A[pu(${LOSS.OFF_LOGITS}) + i]; let real = i < N;
      let v = term(x, real, kind);
      A[pu(${LOSS.OFF_DLOGITS}) + i] = v.y / nf;
      if (real) { lr = lr + v.x; pr = pr + sigmoid(x); } else { lf = lf + v.x; pfk = pfk + sigmoid(x); }
    }
    lr = wgSum(lr, t); lf = wgSum(lf, t); pr = wgSum(pr, t); pfk = wgSum(pfk, t);
    if (t == 0u) {
      A[out + 1u] = lr / nf + lf / nf;
      A[out + 2u] = pr / nf; A[out + 3u] = pfk / nf;
    }
  } else {
    var l = 0.0;
    for (var i = t; i < N; i = i + 256u) {
      let x = A[pu(${LOSS.OFF_LOGITS}) + i];
      var v = term(x, true, kind);
      if (kind == 2u) { v = vec2<f32>(-x, -1.0); }
      A[pu(${LOSS.OFF_DLOGITS}) + i] = v.y / nf;
      l = l + v.x;
    }
    l = wgSum(l, t);
    if (t == 0u) { A[out] = l / nf; }
  }
}
`;

/** Elementwise kernels over flat ranges, 256 per workgroup, rows of `groupsX` workgroups. */
const FLAT_INDEX = /* wgsl */ `
fn flatIndex(wg: vec3<u32>, lid: vec3<u32>) -> u32 { return (wg.y * pu(0u) + wg.x) * 256u + lid.x; }
`;

/**
 * Adam over one network's flat parameter range in one dispatch, as tfjs's AdamOptimizer does it
 * (same operation order). Non-trainable weights in the range (batch-norm running statistics)
 * have a zero gradient and zero moments, so their update is exactly 0.
 * Step constants: [lr, β1, β2, ε], [1−β1, 1−β2, ·, ·], then per network [1−β1^t, 1−β2^t].
 */
export const ADAM = { GROUPS_X: 0, LEN: 1, OFF_W: 2, OFF_G: 3, OFF_M: 4, OFF_V: 5, STEP_SLOT: 6 } as const;

export const ADAM_KERNEL = HEADER_WGSL + FLAT_INDEX + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = flatIndex(wg, lid);
  if (i >= pu(${ADAM.LEN})) { return; }
  let lr = sf(0u); let b1 = sf(1u); let b2 = sf(2u); let eps = sf(3u);
  let slot = pu(${ADAM.STEP_SLOT});
  let oneMinusAcc1 = sf(slot); let oneMinusAcc2 = sf(slot + 1u);
  let g = A[pu(${ADAM.OFF_G}) + i];
  let m = A[pu(${ADAM.OFF_M}) + i] * b1 + g * sf(4u);
  let v = A[pu(${ADAM.OFF_V}) + i] * b2 + (g * g) * sf(5u);
  A[pu(${ADAM.OFF_M}) + i] = m;
  A[pu(${ADAM.OFF_V}) + i] = v;
  let w = A[pu(${ADAM.OFF_W}) + i];
  A[pu(${ADAM.OFF_W}) + i] = (m / oneMinusAcc1) / (sqrt(v / oneMinusAcc2) + eps) * -lr + w;
}
`;

/** EMA of G's weights (WeightEma.update): shadow·decay + w·(1−decay); decay from the step constants. */
export const EMA = { GROUPS_X: 0, LEN: 1, OFF_W: 2, OFF_SHADOW: 3 } as const;

export const EMA_KERNEL = HEADER_WGSL + FLAT_INDEX + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = flatIndex(wg, lid);
  if (i >= pu(${EMA.LEN})) { return; }
  let o = pu(${EMA.OFF_SHADOW}) + i;
  A[o] = A[o] * sf(12u) + A[pu(${EMA.OFF_W}) + i] * sf(13u);
}
`;

/** Sums split-K partials [splits, len] into the gradient. */
export const SPLITS = { GROUPS_X: 0, LEN: 1, OFF_PARTIALS: 2, SPLITS: 3, OFF_OUT: 4 } as const;

export const REDUCE_SPLITS = HEADER_WGSL + FLAT_INDEX + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = flatIndex(wg, lid);
  let len = pu(${SPLITS.LEN});
  if (i >= len) { return; }
  var s = 0.0;
  for (var k = 0u; k < pu(${SPLITS.SPLITS}); k = k + 1u) { s = s + A[pu(${SPLITS.OFF_PARTIALS}) + k * len + i]; }
  A[pu(${SPLITS.OFF_OUT}) + i] = s;
}
`;

/** Bias gradient as a column sum of dy [rows, cols], one thread per column. */
export const COLSUM = { GROUPS_X: 0, COLS: 1, ROWS: 2, OFF_IN: 3, OFF_OUT: 4 } as const;

export const COLUMN_SUM = HEADER_WGSL + FLAT_INDEX + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let col = flatIndex(wg, lid);
  let cols = pu(${COLSUM.COLS});
  if (col >= cols) { return; }
  var s = 0.0;
  for (var r = 0u; r < pu(${COLSUM.ROWS}); r = r + 1u) { s = s + A[pu(${COLSUM.OFF_IN}) + r * cols + col]; }
  A[pu(${COLSUM.OFF_OUT}) + col] = s;
}
`;
