// Shared WGSL pieces: the binding layout every compiled kernel uses, and the activations.
//
// One layout for all pipelines keeps the plan within compatibility-mode limits (llvmpipe's
// OpenGL backend allows 8 storage buffers per stage, 4 by default in compat) and lets every bind
// group be created once:
//   binding 0  the arena: ONE storage buffer with every weight, gradient, moment and activation
//   binding 1  this dispatch's parameters (offsets, sizes; a 256-byte slot of one uniform buffer)
//   binding 2  the step's constants (Adam bias corrections, EMA decay), written once per step

/** u32 words per dispatch parameter slot (the slots are 256 bytes apart, the offset alignment). */
export const PARAM_SLOT_WORDS = 32;
export const PARAM_SLOT_BYTES = 256;
/** f32 words of the per-step constants (binding 2). */
export const STEP_WORDS = 16;

/** Activation codes, shared with the plan. */
export const ACT = { none: 0, relu: 1, leakyRelu: 2, tanh: 3 } as const;
export type ActName = keyof typeof ACT;

/** Sentinel offset: "no such buffer" (no bias, no gradient wanted). */
export const NONE = 0xffffffff;

export const ACT_WGSL = /* wgsl */ `
fn act(x: f32, kind: u32, alpha: f32) -> f32 {
  switch kind {
    case 1u: { return max(x, 0.0); }
    case 2u: { return select(alpha * x, x, x > 0.0); }
    case 3u: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}
// the activation's derivative from its OUTPUT y (what the forward pass keeps)
fn actGrad(y: f32, kind: u32, alpha: f32) -> f32 {
  switch kind {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return select(alpha, 1.0, y > 0.0); }
    case 3u: { return 1.0 - y * y; }
    default: { return 1.0; }
  }
}
`;

export const HEADER_WGSL = /* wgsl */ `
struct Params { v: array<vec4<u32>, ${PARAM_SLOT_WORDS / 4}> }
@group(0) @binding(0) var<storage, read_write> A: array<f32>;
@group(0) @binding(1) var<uniform> P: Params;
@group(0) @binding(2) var<uniform> S: array<vec4<f32>, ${STEP_WORDS / 4}>;
fn pu(i: u32) -> u32 { return P.v[i / 4u][i % 4u]; }
fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }
fn sf(i: u32) -> f32 { return S[i / 4u][i % 4u]; }
`;

/**
 * A 256-thread sum in workgroup memory; every thread gets the same total. A tree reduction with
 * barriers inside its loop gave threads other than 0 stale totals on llvmpipe (Dawn's OpenGL
 * backend), so the tree runs in one thread's view: 16 partial rows, then 16 values.
 */
export const REDUCE_WGSL = /* wgsl */ `
var<workgroup> red: array<f32, 256>;
var<workgroup> redRows: array<f32, 16>;
fn wgSum(v: f32, t: u32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  if (t < 16u) {
    var s = 0.0;
    for (var i = 0u; i < 16u; i = i + 1u) { s = s + red[t * 16u + i]; }
    redRows[t] = s;
  }
  workgroupBarrier();
  var total = 0.0;
  for (var i = 0u; i < 16u; i = i + 1u) { total = total + redRows[i]; }
  workgroupBarrier();
  return total;
}
`;
