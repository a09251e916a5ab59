// The CycleGAN / ESRGAN vocabulary beyond convolutions and norms (issue #19), as flat kernels
// over arena ranges (one thread per element, rows of `groupsX` workgroups):
//   RESAMPLE   reflection pad, nearest ×r upsampling (resize-convolution) and pixel shuffle
//              (TF's depthToSpace order), forward and their exact adjoints for the backward.
//              The reflection pad's gradient adds every reflected border pixel back into its
//              source — tfjs's own mirrorPad gradient drops those (it keeps the interior only).
//   AXPY       out = x + s·y: residual add (and ESRGAN's β-scaled residual), and the gradient
//              fan-in of a residual branch (dA += dy).
//   PAIR_LOSS  L1 between two images, or the squared error to a constant label (LSGAN), with the
//              gradient, scaled by a weight (cycle λ, identity λ·λ_id), accumulated or written.
// Instance norm needs no kernel of its own: BN_FORWARD / CHANNEL_BACKWARD with one group per
// image (γ = 1, β = 0, no running statistics) is instance norm (+ activation) forward and
// backward — kernels.test.ts checks that against tfjs.
import { HEADER_WGSL, REDUCE_WGSL } from './wgsl-common.js';

export const RESAMPLE_OPS = { reflectPad: 0, nearestUp: 1, pixelShuffle: 2 } as const;
export type ResampleOp = keyof typeof RESAMPLE_OPS;

/** Word indices; H, W, C are the INPUT's (the un-padded, un-upsampled side). */
export const RS = { GROUPS_X: 0, N: 1, H: 2, W: 3, C: 4, K: 5, OFF_IN: 6, OFF_OUT: 7, OP: 8, BACKWARD: 9 } as const;

/** Output [H', W', C'] of a resample of an input [H, W, C] by k (pad or factor). */
export function resampleShape(op: ResampleOp, h: number, w: number, c: number, k: number): [number, number, number] {
  if (op === 'reflectPad') return [h + 2 * k, w + 2 * k, c];
  if (op === 'nearestUp') return [h * k, w * k, c];
  return [h * k, w * k, c / (k * k)];
}

const FLAT = /* wgsl */ `
fn flatIndex(wg: vec3<u32>, lid: vec3<u32>) -> u32 { return (wg.y * pu(0u) + wg.x) * 256u + lid.x; }
`;

export const RESAMPLE = HEADER_WGSL + FLAT + /* wgsl */ `
fn reflect(i: i32, n: i32) -> i32 {
  if (i < 0) { return -i; }
  if (i >= n) { return 2 * n - 2 - i; }
  return i;
}
fn inAt(n: u32, y: u32, x: u32, c: u32) -> u32 {
  return ((n * pu(${RS.H}) + y) * pu(${RS.W}) + x) * pu(${RS.C}) + c;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = flatIndex(wg, lid);
  let H = pu(${RS.H}); let W = pu(${RS.W}); let C = pu(${RS.C}); let k = pu(${RS.K}); let op = pu(${RS.OP});
  var OH = H * k; var OW = W * k; var OC = C;
  if (op == 0u) { OH = H + 2u * k; OW = W + 2u * k; }
  if (op == 2u) { OC = C / (k * k); }
  let inp = pu(${RS.OFF_IN}); let out = pu(${RS.OFF_OUT});
  if (pu(${RS.BACKWARD}) == 0u) {
    // forward: one thread per output element, a gather from the input
    if (i >= pu(${RS.N}) * OH * OW * OC) { return; }
    let c = i % OC; let r = i / OC; let ox = r % OW; let r2 = r / OW; let oy = r2 % OH; let n = r2 / OH;
    var src = 0u;
    if (op == 0u) {
      src = inAt(n, u32(reflect(i32(oy) - i32(k), i32(H))), u32(reflect(i32(ox) - i32(k), i32(W))), c);
    } else if (op == 1u) {
      src = inAt(n, oy / k, ox / k, c);
    } else {
      src = inAt(n, oy / k, ox / k, ((oy % k) * k + ox % k) * OC + c);
    }
    A[out + i] = A[inp + src];
    return;
  }
  // backward: one thread per INPUT element, the sum of the output gradients that read it
  if (i >= pu(${RS.N}) * H * W * C) { return; }
  let c = i % C; let r = i / C; let x = r % W; let r2 = r / W; let y = r2 % H; let n = r2 / H;
  let dyAt = out; // OFF_OUT holds dL/d output, OFF_IN receives dL/d input
  var s = 0.0;
  if (op == 0u) {
    // output rows that reflect onto row y: itself, its mirror above (y ≥ 1), below (y ≤ H−2)
    var ys = array<i32, 3>(i32(y + k), i32(k) - i32(y), i32(k) + 2 * i32(H) - 2 - i32(y));
    var xs = array<i32, 3>(i32(x + k), i32(k) - i32(x), i32(k) + 2 * i32(W) - 2 - i32(x));
    for (var a = 0u; a < 3u; a = a + 1u) {
      let oy = ys[a];
      if (oy < 0 || oy >= i32(OH) || (a == 1u && y == 0u) || (a == 2u && y + 1u >= H) || u32(reflect(oy - i32(k), i32(H))) != y) { continue; }
      for (var b = 0u; b < 3u; b = b + 1u) {
        let ox = xs[b];
        if (ox < 0 || ox >= i32(OW) || (b == 1u && x == 0u) || (b == 2u && x + 1u >= W) || u32(reflect(ox - i32(k), i32(W))) != x) { continue; }
        s = s + A[dyAt + ((n * OH + u32(oy)) * OW + u32(ox)) * OC + c];
      }
    }
  } else if (op == 1u) {
    for (var a = 0u; a < k; a = a + 1u) {
      for (var b = 0u; b < k; b = b + 1u) { s = s + A[dyAt + ((n * OH + y * k + a) * OW + x * k + b) * OC + c]; }
    }
  } else {
    let oc = c % OC; let phase = c / OC;
    s = A[dyAt + ((n * OH + y * k + phase / k) * OW + x * k + phase % k) * OC + oc];
  }
  A[inp + i] = s;
}
`;

/** out[i] = x[i] + s·y[i] over LEN elements (out may alias x). */
export const AX = { GROUPS_X: 0, LEN: 1, OFF_X: 2, OFF_Y: 3, OFF_OUT: 4, SCALE: 5 } as const;

export const AXPY = HEADER_WGSL + FLAT + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = flatIndex(wg, lid);
  if (i >= pu(${AX.LEN})) { return; }
  A[pu(${AX.OFF_OUT}) + i] = A[pu(${AX.OFF_X}) + i] + pf(${AX.SCALE}) * A[pu(${AX.OFF_Y}) + i];
}
`;

/**
 * weight · mean(|a − b|) (KIND 0) or weight · mean((a − label)²) (KIND 1, b unused) over LEN
 * elements, in ONE workgroup: the loss into scalars[SLOT], d/da into OFF_DA (added to what is
 * there when ACCUMULATE, as a branch's gradient joins others).
 */
export const PL = { LEN: 0, KIND: 1, OFF_A: 2, OFF_B: 3, LABEL: 4, WEIGHT: 5, OFF_DA: 6, ACCUMULATE: 7, OFF_LOSS: 8 } as const;

export const PAIR_LOSS = HEADER_WGSL + REDUCE_WGSL + /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x; let len = pu(${PL.LEN}); let kind = pu(${PL.KIND}); let w = pf(${PL.WEIGHT});
  let scale = w / f32(len);
  var s = 0.0;
  for (var i = t; i < len; i = i + 256u) {
    let a = A[pu(${PL.OFF_A}) + i];
    var d = 0.0;
    if (kind == 0u) {
      let e = a - A[pu(${PL.OFF_B}) + i];
      s = s + abs(e);
      d = sign(e) * scale;
    } else {
      let e = a - pf(${PL.LABEL});
      s = s + e * e;
      d = 2.0 * e * scale;
    }
    let at = pu(${PL.OFF_DA}) + i;
    if (pu(${PL.ACCUMULATE}) != 0u) { A[at] = A[at] + d; } else { A[at] = d; }
  }
  let total = wgSum(s, t);
  if (t == 0u) { A[pu(${PL.OFF_LOSS})] = total * scale; }
}
`;
