// DiffAugment (src/models/common/diff-augment.ts) as two kernels, one workgroup per image:
// colour (brightness, saturation, contrast) → translation (zero padded) → cutout, forward, and
// the gradient back to the un-augmented image. The random draws are not made here: the host
// draws them with the tfjs path's own calls (augmentDraws) and writes them into the arena, so
// both paths augment with the same numbers. Per image, 8 floats:
//   [brightness, saturation, contrast, shift y, shift x, cutout centre y, cutout centre x, 0]
import { HEADER_WGSL, REDUCE_WGSL } from './wgsl-common.js';

export const AUG_PARAM_FLOATS = 8;

export const AUG = { H: 0, W: 1, C: 2, OFF_IN: 3, OFF_OUT: 4, OFF_P: 5, CUT_H: 6, CUT_W: 7 } as const;

const AUG_COMMON = HEADER_WGSL + REDUCE_WGSL + /* wgsl */ `
struct Draw { bright: f32, sat: f32, con: f32, sy: i32, sx: i32, y0: i32, x0: i32 }
fn draw(n: u32) -> Draw {
  let p = pu(${AUG.OFF_P}) + n * ${AUG_PARAM_FLOATS}u;
  let cutH = i32(pu(${AUG.CUT_H})); let cutW = i32(pu(${AUG.CUT_W}));
  return Draw(A[p], A[p + 1u], A[p + 2u], i32(A[p + 3u]), i32(A[p + 4u]), i32(A[p + 5u]) - cutH / 2, i32(A[p + 6u]) - cutW / 2);
}
// does output pixel (y, x) survive the cutout and come from inside the image?
fn kept(d: Draw, y: i32, x: i32) -> bool {
  let H = i32(pu(${AUG.H})); let W = i32(pu(${AUG.W}));
  let hole = y >= d.y0 && y < d.y0 + i32(pu(${AUG.CUT_H})) && x >= d.x0 && x < d.x0 + i32(pu(${AUG.CUT_W}));
  let sy = y - d.sy; let sx = x - d.sx;
  return !hole && sy >= 0 && sy < H && sx >= 0 && sx < W;
}
`;

/** in [rows, H, W, C] → out [rows, H, W, C]; dispatch [rows, 1, 1]. */
export const AUG_FORWARD = AUG_COMMON + /* wgsl */ `
// brightness + saturation of channel c at pixel base b (channels contiguous)
fn colour(b: u32, c: u32, d: Draw) -> f32 {
  let C = pu(${AUG.C});
  if (C == 1u) { return A[b] + d.bright; }
  var mc = 0.0;
  for (var k = 0u; k < C; k = k + 1u) { mc = mc + (A[b + k] + d.bright); }
  mc = mc / f32(C);
  return (A[b + c] + d.bright - mc) * d.sat + mc;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = wg.x; let t = lid.x;
  let H = pu(${AUG.H}); let W = pu(${AUG.W}); let C = pu(${AUG.C}); let P = H * W;
  let d = draw(n);
  let src = pu(${AUG.OFF_IN}) + n * P * C;
  var s = 0.0;
  for (var p = t; p < P; p = p + 256u) {
    for (var c = 0u; c < C; c = c + 1u) { s = s + colour(src + p * C, c, d); }
  }
  let mean = wgSum(s, t) / f32(P * C);
  let dst = pu(${AUG.OFF_OUT}) + n * P * C;
  for (var p = t; p < P; p = p + 256u) {
    let y = i32(p / W); let x = i32(p % W);
    let ok = kept(d, y, x);
    let at = src + u32(select(0, (y - d.sy) * i32(W) + (x - d.sx), ok)) * C;
    for (var c = 0u; c < C; c = c + 1u) {
      var v = 0.0;
      if (ok) { v = (colour(at, c, d) - mean) * d.con + mean; }
      A[dst + p * C + c] = v;
    }
  }
}
`;

/**
 * dL/d out [rows, H, W, C] → dL/d in: undo cutout and shift, then the contrast and saturation
 * Jacobians (y = con·s + (1−con)·mean(s); s_c = sat·b_c + (1−sat)·mean_c(b); b = x + brightness).
 */
export const AUG_BACKWARD = AUG_COMMON + /* wgsl */ `
fn upstream(n: u32, y: i32, x: i32, c: u32, d: Draw) -> f32 {
  // the output pixel this source pixel moved to
  let oy = y + d.sy; let ox = x + d.sx;
  let W = pu(${AUG.W}); let C = pu(${AUG.C});
  if (oy < 0 || ox < 0 || oy >= i32(pu(${AUG.H})) || ox >= i32(W) || !kept(d, oy, ox)) { return 0.0; }
  return A[pu(${AUG.OFF_IN}) + ((n * pu(${AUG.H}) + u32(oy)) * W + u32(ox)) * C + c];
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = wg.x; let t = lid.x;
  let H = pu(${AUG.H}); let W = pu(${AUG.W}); let C = pu(${AUG.C}); let P = H * W;
  let d = draw(n);
  var s = 0.0;
  for (var p = t; p < P; p = p + 256u) {
    for (var c = 0u; c < C; c = c + 1u) { s = s + upstream(n, i32(p / W), i32(p % W), c, d); }
  }
  let spread = wgSum(s, t) * (1.0 - d.con) / f32(P * C);
  let dst = pu(${AUG.OFF_OUT}) + n * P * C;
  for (var p = t; p < P; p = p + 256u) {
    let y = i32(p / W); let x = i32(p % W);
    var sum = 0.0;
    for (var c = 0u; c < C; c = c + 1u) { sum = sum + upstream(n, y, x, c, d) * d.con + spread; }
    for (var c = 0u; c < C; c = c + 1u) {
      let ds = upstream(n, y, x, c, d) * d.con + spread;
      A[dst + p * C + c] = select(ds * d.sat + (1.0 - d.sat) * sum / f32(C), ds, C == 1u);
    }
  }
}
`;
