// RRDBNet and SRVGGNetCompact written out by hand in plain loops over NCHW arrays, following
// PyTorch's definitions (Conv2d with padding 1, pixel_(un)shuffle's channel order, nearest
// interpolation, LeakyReLU 0.2, per-channel PReLU) — an implementation independent of tfjs that
// the tests hold our networks to. Slow, so only for tiny nets and images.
import type { CommunityArchitecture } from '../architecture.js';
import type { StateDict } from './state-dict.js';

export interface Chw { c: number; h: number; w: number; data: Float32Array }

const at = (x: Chw, c: number, y: number, i: number) => x.data[(c * x.h + y) * x.w + i]!;

function conv3(x: Chw, weight: Float32Array, bias: Float32Array, out: number): Chw {
  const y: Chw = { c: out, h: x.h, w: x.w, data: new Float32Array(out * x.h * x.w) };
  for (let o = 0; o < out; o++) {
    for (let r = 0; r < x.h; r++) {
      for (let q = 0; q < x.w; q++) {
        let s = bias[o]!;
        for (let c = 0; c < x.c; c++) {
          for (let dy = 0; dy < 3; dy++) {
            const yy = r + dy - 1;
            if (yy < 0 || yy >= x.h) continue;
            for (let dx = 0; dx < 3; dx++) {
              const xx = q + dx - 1;
              if (xx < 0 || xx >= x.w) continue;
              s += weight[((o * x.c + c) * 3 + dy) * 3 + dx]! * at(x, c, yy, xx);
            }
          }
        }
        y.data[(o * x.h + r) * x.w + q] = s;
      }
    }
  }
  return y;
}

const map = (x: Chw, f: (v: number, c: number) => number): Chw => {
  const plane = x.h * x.w;
  return { ...x, data: x.data.map((v, i) => f(v, Math.floor(i / plane))) };
};
const lrelu = (x: Chw) => map(x, (v) => (v >= 0 ? v : 0.2 * v));
const add = (a: Chw, b: Chw, k = 1): Chw => ({ ...a, data: a.data.map((v, i) => v * k + b.data[i]!) });
const cat = (xs: Chw[]): Chw => {
  const data = new Float32Array(xs.reduce((n, x) => n + x.data.length, 0));
  let o = 0;
  for (const x of xs) {
    data.set(x.data, o);
    o += x.data.length;
  }
  return { c: xs.reduce((n, x) => n + x.c, 0), h: xs[0]!.h, w: xs[0]!.w, data };
};

function nearest(x: Chw, r: number): Chw {
  const y: Chw = { c: x.c, h: x.h * r, w: x.w * r, data: new Float32Array(x.c * x.h * x.w * r * r) };
  for (let c = 0; c < x.c; c++) for (let i = 0; i < y.h; i++) for (let j = 0; j < y.w; j++) y.data[(c * y.h + i) * y.w + j] = at(x, c, Math.floor(i / r), Math.floor(j / r));
  return y;
}

export function pixelUnshuffleRef(x: Chw, s: number): Chw {
  const y: Chw = { c: x.c * s * s, h: x.h / s, w: x.w / s, data: new Float32Array(x.data.length) };
  for (let c = 0; c < x.c; c++) for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
    for (let r = 0; r < y.h; r++) for (let q = 0; q < y.w; q++) y.data[((c * s * s + i * s + j) * y.h + r) * y.w + q] = at(x, c, r * s + i, q * s + j);
  }
  return y;
}

export function pixelShuffleRef(x: Chw, s: number): Chw {
  const c = x.c / (s * s);
  const y: Chw = { c, h: x.h * s, w: x.w * s, data: new Float32Array(x.data.length) };
  for (let k = 0; k < c; k++) for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
    for (let r = 0; r < x.h; r++) for (let q = 0; q < x.w; q++) y.data[(k * y.h + r * s + i) * y.w + q * s + j] = at(x, k * s * s + i * s + j, r, q);
  }
  return y;
}

/** The state dict's forward pass on one CHW image. */
export function referenceForward(a: CommunityArchitecture, dict: StateDict, input: Chw): Chw {
  const t = new Map(dict.map((d) => [d.name, d]));
  const conv = (x: Chw, name: string) => conv3(x, t.get(`${name}.weight`)!.values, t.get(`${name}.bias`)!.values, t.get(`${name}.weight`)!.shape[0]!);
  if (a.type === 'srvgg') {
    let h = input;
    for (let i = 0; i <= a.convs; i++) {
      const alpha = t.get(`body.${2 * i + 1}.weight`)!.values;
      h = map(conv(h, `body.${2 * i}`), (v, c) => (v >= 0 ? v : alpha[c]! * v));
    }
    return add(pixelShuffleRef(conv(h, `body.${2 * a.convs + 2}`), a.scale), nearest(input, a.scale));
  }
  const rdb = (x: Chw, p: string) => {
    const maps = [x];
    for (let k = 1; k <= 4; k++) maps.push(lrelu(conv(cat(maps), `${p}.conv${k}`)));
    return add(conv(cat(maps), `${p}.conv5`), x, 0.2);
  };
  const x = a.unshuffle > 1 ? pixelUnshuffleRef(input, a.unshuffle) : input;
  const feat = conv(x, 'conv_first');
  let body = feat;
  for (let b = 0; b < a.blocks; b++) {
    const out = rdb(rdb(rdb(body, `body.${b}.rdb1`), `body.${b}.rdb2`), `body.${b}.rdb3`);
    body = add(out, body, 0.2);
  }
  let h = add(conv(body, 'conv_body'), feat);
  for (let u = 1; u <= a.upsamples; u++) h = lrelu(conv(nearest(h, 2), `conv_up${u}`));
  return conv(lrelu(conv(h, 'conv_hr')), 'conv_last');
}

/** NHWC values (what tfjs gives) → CHW, and back. */
export function toChw(nhwc: ArrayLike<number>, h: number, w: number, c: number): Chw {
  const data = new Float32Array(c * h * w);
  for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) data[k * h * w + i] = nhwc[i * c + k]!;
  return { c, h, w, data };
}
