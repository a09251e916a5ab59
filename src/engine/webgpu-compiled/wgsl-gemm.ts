// Convolution, transposed convolution and dense layers as ONE tiled implicit GEMM with workgroup
// memory, in three modes over a "conv geometry" between a big side B [N,BH,BW,BC] and a small
// side S [N,SH,SW,SC] through a filter F [KH,KW,BC,SC] (tfjs's conv2d layout; a
// conv2dTranspose kernel [KH,KW,out,in] is the same array read the other way):
//   gather  S = conv(B, F)         conv2d forward, conv2dTranspose input gradient
//   scatter B = convᵀ(S, F)        conv2d input gradient, conv2dTranspose forward; one output
//                                  phase (bh mod s, bw mod s) per workgroup z, so only the taps
//                                  that hit it are visited (no s²-fold zero work)
//   wgrad   F = Σ B-patch ⊗ S      both filter gradients; split-K over workgroup z into
//                                  partials when the reduction is long (batch × pixels)
// A dense layer is the 1×1 case on a 1×1 image. Every buffer is a range of the one arena; the
// offsets and sizes come from this dispatch's uniform slot.
import { ACT_WGSL, HEADER_WGSL } from './wgsl-common.js';

export type GemmMode = 'gather' | 'scatter' | 'wgrad';

/** Uniform word indices of a GEMM dispatch (filled by conv-plan.ts). */
export const G = {
  N: 0, BH: 1, BW: 2, BC: 3, SH: 4, SW: 5, SC: 6, KH: 7, KW: 8, STRIDE: 9, PT: 10, PL: 11,
  OFF_B: 12, OFF_S: 13, OFF_F: 14, OFF_BIAS: 15, ACT: 16, ALPHA: 17, M: 18, NC: 19, K: 20,
  TH: 21, TW: 22, K_CHUNK: 23, OFF_OUT: 24,
} as const;

export const TILE_M = 32;
export const TILE_N = 32;
const TILE_K = 16;

// index decoders shared by the modes: m or k → (n, y, x) of an image with H×W pixels
const DECODE = /* wgsl */ `
fn bigAt(n: u32, y: i32, x: i32, c: u32) -> f32 {
  if (y < 0 || x < 0 || y >= i32(pu(${G.BH})) || x >= i32(pu(${G.BW}))) { return 0.0; }
  return A[pu(${G.OFF_B}) + ((n * pu(${G.BH}) + u32(y)) * pu(${G.BW}) + u32(x)) * pu(${G.BC}) + c];
}
`;

function loaders(mode: GemmMode): string {
  if (mode === 'gather') {
    return /* wgsl */ `
fn loadA(m: u32, k: u32, phase: u32) -> f32 {
  if (m >= pu(${G.M}) || k >= pu(${G.K})) { return 0.0; }
  let SH = pu(${G.SH}); let SW = pu(${G.SW}); let BC = pu(${G.BC}); let KW = pu(${G.KW}); let s = pu(${G.STRIDE});
  let n = m / (SH * SW); let r = m % (SH * SW); let oh = r / SW; let ow = r % SW;
  let bc = k % BC; let t = k / BC; let kw = t % KW; let kh = t / KW;
  return bigAt(n, i32(oh * s + kh) - i32(pu(${G.PT})), i32(ow * s + kw) - i32(pu(${G.PL})), bc);
}
fn loadB(k: u32, col: u32, phase: u32) -> f32 {
  if (k >= pu(${G.K}) || col >= pu(${G.NC})) { return 0.0; }
  return A[pu(${G.OFF_F}) + k * pu(${G.SC}) + col];
}
fn store(m: u32, col: u32, phase: u32, split: u32, v: f32) {
  var x = v;
  if (pu(${G.OFF_BIAS}) != 0xffffffffu) { x = x + A[pu(${G.OFF_BIAS}) + col]; }
  A[pu(${G.OFF_S}) + m * pu(${G.SC}) + col] = act(x, pu(${G.ACT}), pf(${G.ALPHA}));
}
`;
  }
  if (mode === 'scatter') {
    return /* wgsl */ `
struct Tap { ok: bool, kh: u32, kw: u32, sc: u32 }
fn tap(k: u32, phase: u32) -> Tap {
  let s = pu(${G.STRIDE}); let SC = pu(${G.SC});
  let ph = phase / s; let pw = phase % s;
  let sc = k % SC; let t = k / SC; let tw = t % pu(${G.TW}); let th = t / pu(${G.TW});
  let kh = (ph + pu(${G.PT})) % s + th * s; let kw = (pw + pu(${G.PL})) % s + tw * s;
  return Tap(k < pu(${G.K}) && kh < pu(${G.KH}) && kw < pu(${G.KW}), kh, kw, sc);
}
fn pixel(m: u32, phase: u32) -> vec3<u32> {
  let s = pu(${G.STRIDE}); let QH = pu(${G.BH}) / s; let QW = pu(${G.BW}) / s;
  let n = m / (QH * QW); let r = m % (QH * QW);
  return vec3<u32>(n, (r / QW) * s + phase / s, (r % QW) * s + phase % s);
}
fn loadA(m: u32, k: u32, phase: u32) -> f32 {
  let t = tap(k, phase);
  if (m >= pu(${G.M}) || !t.ok) { return 0.0; }
  let p = pixel(m, phase); let s = i32(pu(${G.STRIDE}));
  let sh = (i32(p.y + pu(${G.PT})) - i32(t.kh)) / s; let sw = (i32(p.z + pu(${G.PL})) - i32(t.kw)) / s;
  if (i32(p.y + pu(${G.PT})) < i32(t.kh) || i32(p.z + pu(${G.PL})) < i32(t.kw) || sh >= i32(pu(${G.SH})) || sw >= i32(pu(${G.SW}))) { return 0.0; }
  return A[pu(${G.OFF_S}) + ((p.x * pu(${G.SH}) + u32(sh)) * pu(${G.SW}) + u32(sw)) * pu(${G.SC}) + t.sc];
}
fn loadB(k: u32, col: u32, phase: u32) -> f32 {
  let t = tap(k, phase);
  if (!t.ok || col >= pu(${G.NC})) { return 0.0; }
  return A[pu(${G.OFF_F}) + ((t.kh * pu(${G.KW}) + t.kw) * pu(${G.BC}) + col) * pu(${G.SC}) + t.sc];
}
fn store(m: u32, col: u32, phase: u32, split: u32, v: f32) {
  let p = pixel(m, phase);
  var x = v;
  if (pu(${G.OFF_BIAS}) != 0xffffffffu) { x = x + A[pu(${G.OFF_BIAS}) + col]; }
  A[pu(${G.OFF_B}) + ((p.x * pu(${G.BH}) + p.y) * pu(${G.BW}) + p.z) * pu(${G.BC}) + col] = act(x, pu(${G.ACT}), pf(${G.ALPHA}));
}
`;
  }
  return /* wgsl */ `
fn loadA(m: u32, k: u32, phase: u32) -> f32 {
  if (m >= pu(${G.M}) || k >= pu(${G.K})) { return 0.0; }
  let SH = pu(${G.SH}); let SW = pu(${G.SW}); let BC = pu(${G.BC}); let KW = pu(${G.KW}); let s = pu(${G.STRIDE});
  let bc = m % BC; let t = m / BC; let kw = t % KW; let kh = t / KW;
  let n = k / (SH * SW); let r = k % (SH * SW); let oh = r / SW; let ow = r % SW;
  return bigAt(n, i32(oh * s + kh) - i32(pu(${G.PT})), i32(ow * s + kw) - i32(pu(${G.PL})), bc);
}
fn loadB(k: u32, col: u32, phase: u32) -> f32 {
  if (k >= pu(${G.K}) || col >= pu(${G.NC})) { return 0.0; }
  return A[pu(${G.OFF_S}) + k * pu(${G.SC}) + col];
}
fn store(m: u32, col: u32, phase: u32, split: u32, v: f32) {
  // one split writes the gradient itself; several write partials that reduce-splits sums
  A[pu(${G.OFF_OUT}) + split * pu(${G.M}) * pu(${G.NC}) + m * pu(${G.NC}) + col] = v;
}
`;
}

/** WGSL of one GEMM mode: 32×32 output tiles, 16×16 threads, 2×2 outputs each. */
export function gemmShader(mode: GemmMode): string {
  const splitK = mode === 'wgrad';
  return HEADER_WGSL + ACT_WGSL + DECODE + loaders(mode) + /* wgsl */ `
var<workgroup> ta: array<array<f32, ${TILE_M}>, ${TILE_K}>;
var<workgroup> tb: array<array<f32, ${TILE_N}>, ${TILE_K}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let m0 = wg.y * ${TILE_M}u; let n0 = wg.x * ${TILE_N}u;
  let phase = ${splitK ? '0u' : 'wg.z'};
  let split = ${splitK ? 'wg.z' : '0u'};
  let kBegin = ${splitK ? `split * pu(${G.K_CHUNK})` : '0u'};
  let kEnd = ${splitK ? `min(pu(${G.K}), kBegin + pu(${G.K_CHUNK}))` : `pu(${G.K})`};
  let tid = lid.y * 16u + lid.x;
  var acc00 = 0.0; var acc01 = 0.0; var acc10 = 0.0; var acc11 = 0.0;
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + ${TILE_K}u) {
    for (var e = 0u; e < 2u; e = e + 1u) {
      let i = tid + e * 256u;
      ${splitK
        ? `let mm = i % ${TILE_M}u; let kk = i / ${TILE_M}u;`
        : `let kk = i % ${TILE_K}u; let mm = i / ${TILE_K}u;`}
      let ka = k0 + kk;
      ta[kk][mm] = select(0.0, loadA(m0 + mm, ka, phase), ka < kEnd);
      let nn = i % ${TILE_N}u; let kb = i / ${TILE_N}u;
      tb[kb][nn] = select(0.0, loadB(k0 + kb, n0 + nn, phase), k0 + kb < kEnd);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk = kk + 1u) {
      let a0 = ta[kk][lid.y * 2u]; let a1 = ta[kk][lid.y * 2u + 1u];
      let b0 = tb[kk][lid.x * 2u]; let b1 = tb[kk][lid.x * 2u + 1u];
      acc00 = acc00 + a0 * b0; acc01 = acc01 + a0 * b1;
      acc10 = acc10 + a1 * b0; acc11 = acc11 + a1 * b1;
    }
    workgroupBarrier();
  }
  let r = m0 + lid.y * 2u; let c = n0 + lid.x * 2u;
  let M = pu(${G.M}); let NC = pu(${G.NC});
  if (r < M && c < NC) { store(r, c, phase, split, acc00); }
  if (r < M && c + 1u < NC) { store(r, c + 1u, phase, split, acc01); }
  if (r + 1u < M && c < NC) { store(r + 1u, c, phase, split, acc10); }
  if (r + 1u < M && c + 1u < NC) { store(r + 1u, c + 1u, phase, split, acc11); }
}
`;
}
