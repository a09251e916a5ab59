// Image degradations for super-resolution training pairs, in plain JS on float HWC pixels
// (0–255) so a BatchSource can build pairs synchronously and deterministically from a seed:
// MATLAB-style antialiased bicubic resize (the SR literature's "bicubic"), Gaussian blur,
// Gaussian noise and a JPEG simulation (YCbCr, 4:2:0, 8×8 DCT quantised with the IJG tables —
// the lossy part of JPEG, as Real-ESRGAN's DiffJPEG does), chained as in Real-ESRGAN's
// second-order degradation model.

import { mulberry32 } from '../common/prng.js';

export interface Pixels {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** Seeded uniform floats in [0, 1) (mulberry32). */
export const seededRandom = mulberry32;

function cubic(x: number): number {
  // Keys kernel with a = -0.5 (MATLAB imresize, sharp's 'cubic')
  const ax = Math.abs(x);
  if (ax <= 1) return 1.5 * ax ** 3 - 2.5 * ax ** 2 + 1;
  if (ax < 2) return -0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2;
  return 0;
}

/** Per output index: source indices and normalised weights (kernel widened when shrinking = antialiasing). */
function contributions(inLen: number, outLen: number): { idx: Int32Array[]; w: Float32Array[] } {
  const scale = outLen / inLen;
  const widen = scale < 1 ? 1 / scale : 1;
  const support = 2 * widen;
  const idx: Int32Array[] = [];
  const w: Float32Array[] = [];
  for (let o = 0; o < outLen; o++) {
    const centre = (o + 0.5) / scale - 0.5;
    const first = Math.floor(centre - support);
    const last = Math.ceil(centre + support);
    const is: number[] = [];
    const ws: number[] = [];
    let total = 0;
    for (let i = first; i <= last; i++) {
      const weight = cubic((centre - i) / widen);
      if (weight === 0) continue;
      is.push(Math.min(inLen - 1, Math.max(0, i))); // replicate the border, as imresize does
      ws.push(weight);
      total += weight;
    }
    idx.push(Int32Array.from(is));
    w.push(Float32Array.from(ws, (v) => v / total));
  }
  return { idx, w };
}

/** Bicubic resize (antialiased when shrinking), separable: rows then columns. */
export function resizeBicubic(src: Pixels, outW: number, outH: number): Pixels {
  const { width, height, channels: c, data } = src;
  const cx = contributions(width, outW);
  const tmp = new Float32Array(outW * height * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outW; x++) {
      const is = cx.idx[x]!;
      const ws = cx.w[x]!;
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let k = 0; k < is.length; k++) s += ws[k]! * data[(y * width + is[k]!) * c + ch]!;
        tmp[(y * outW + x) * c + ch] = s;
      }
    }
  }
  const cy = contributions(height, outH);
  const out = new Float32Array(outW * outH * c);
  for (let y = 0; y < outH; y++) {
    const is = cy.idx[y]!;
    const ws = cy.w[y]!;
    for (let x = 0; x < outW; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let k = 0; k < is.length; k++) s += ws[k]! * tmp[(is[k]! * outW + x) * c + ch]!;
        out[(y * outW + x) * c + ch] = s;
      }
    }
  }
  return { data: out, width: outW, height: outH, channels: c };
}

export function gaussianBlur(src: Pixels, sigma: number): Pixels {
  const radius = Math.max(1, Math.ceil(sigma * 3));
  const k = Float32Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  const pass = (data: Float32Array, horizontal: boolean): Float32Array => {
    const { width, height, channels: c } = src;
    const out = new Float32Array(data.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let t = -radius; t <= radius; t++) {
            const xx = horizontal ? Math.min(width - 1, Math.max(0, x + t)) : x;
            const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + t));
            s += k[t + radius]! * data[(yy * width + xx) * c + ch]!;
          }
          out[(y * width + x) * c + ch] = s;
        }
      }
    }
    return out;
  };
  return { ...src, data: pass(pass(src.data, true), false) };
}

/** Gaussian noise of std `sigma` (0–255 units); `gray` adds the same noise to every channel. */
export function addNoise(src: Pixels, sigma: number, gray: boolean, rand: () => number): Pixels {
  const out = new Float32Array(src.data.length);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (let p = 0; p < src.width * src.height; p++) {
    const shared = gray ? normal() * sigma : 0;
    for (let ch = 0; ch < src.channels; ch++) {
      const i = p * src.channels + ch;
      out[i] = src.data[i]! + (gray ? shared : normal() * sigma);
    }
  }
  return { ...src, data: out };
}

const LUMA_Q = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99];
const CHROMA_Q = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, ...Array<number>(32).fill(99)];
const COS = Float32Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i >> 3) + 1) * (i & 7) * Math.PI) / 16));

function qualityTable(base: number[], quality: number): Float32Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const s = q < 50 ? 5000 / q : 200 - 2 * q; // the IJG scaling
  return Float32Array.from(base, (v) => Math.min(255, Math.max(1, Math.floor((v * s + 50) / 100))));
}

/** Quantises one plane in place through the 8×8 DCT (edge blocks padded by replication). */
function dctQuantise(plane: Float32Array, width: number, height: number, table: Float32Array): void {
  const block = new Float32Array(64);
  const coef = new Float32Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let i = 0; i < 64; i++) block[i] = plane[Math.min(height - 1, by + (i >> 3)) * width + Math.min(width - 1, bx + (i & 7))]! - 128;
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let s = 0;
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) s += block[y * 8 + x]! * COS[x * 8 + u]! * COS[y * 8 + v]!;
          const cu = u === 0 ? Math.SQRT1_2 : 1;
          const cv = v === 0 ? Math.SQRT1_2 : 1;
          const q = table[v * 8 + u]!;
          coef[v * 8 + u] = Math.round((0.25 * cu * cv * s) / q) * q;
        }
      }
      for (let y = 0; y < 8 && by + y < height; y++) {
        for (let x = 0; x < 8 && bx + x < width; x++) {
          let s = 0;
          for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) s += (u === 0 ? Math.SQRT1_2 : 1) * (v === 0 ? Math.SQRT1_2 : 1) * coef[v * 8 + u]! * COS[x * 8 + u]! * COS[y * 8 + v]!;
          plane[(by + y) * width + bx + x] = 0.25 * s + 128;
        }
      }
    }
  }
}

/** JPEG's lossy steps at `quality` (1–100): what a save-and-reload would do to the pixels. */
export function jpegSimulate(src: Pixels, quality: number): Pixels {
  const { width, height, channels } = src;
  const n = width * height;
  const clamp = (v: number) => Math.min(255, Math.max(0, v));
  if (channels === 1) {
    const y = Float32Array.from(src.data, clamp);
    dctQuantise(y, width, height, qualityTable(LUMA_Q, quality));
    return { ...src, data: y.map(clamp) };
  }
  const Y = new Float32Array(n);
  const cw = Math.ceil(width / 2);
  const chh = Math.ceil(height / 2);
  const Cb = new Float32Array(cw * chh);
  const Cr = new Float32Array(cw * chh);
  const counts = new Float32Array(cw * chh);
  for (let p = 0; p < n; p++) {
    const r = clamp(src.data[p * 3]!);
    const g = clamp(src.data[p * 3 + 1]!);
    const b = clamp(src.data[p * 3 + 2]!);
    Y[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    const ci = ((Math.floor(p / width) >> 1) * cw) + ((p % width) >> 1); // 4:2:0 by averaging 2×2
    Cb[ci]! += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    Cr[ci]! += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    counts[ci]! += 1;
  }
  for (let i = 0; i < counts.length; i++) {
    Cb[i]! /= counts[i]!;
    Cr[i]! /= counts[i]!;
  }
  dctQuantise(Y, width, height, qualityTable(LUMA_Q, quality));
  const chroma = qualityTable(CHROMA_Q, quality);
  dctQuantise(Cb, cw, chh, chroma);
  dctQuantise(Cr, cw, chh, chroma);
  // libjpeg's "fancy" chroma upsampling: bilinear between chroma sample centres
  const sample = (plane: Float32Array, x: number, y: number) => {
    const fx = Math.min(cw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
    const fy = Math.min(chh - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const x1 = Math.min(cw - 1, x0 + 1);
    const y1 = Math.min(chh - 1, y0 + 1);
    const ax = fx - x0;
    const ay = fy - y0;
    const top = plane[y0 * cw + x0]! * (1 - ax) + plane[y0 * cw + x1]! * ax;
    const bottom = plane[y1 * cw + x0]! * (1 - ax) + plane[y1 * cw + x1]! * ax;
    return top * (1 - ay) + bottom * ay;
  };
  const out = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) {
    const px = p % width;
    const py = Math.floor(p / width);
    const y = Y[p]!;
    const cb = sample(Cb, px, py) - 128;
    const cr = sample(Cr, px, py) - 128;
    out[p * 3] = clamp(y + 1.402 * cr);
    out[p * 3 + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    out[p * 3 + 2] = clamp(y + 1.772 * cb);
  }
  return { ...src, data: out };
}

export interface DegradeOptions {
  /** 'bicubic': the classic clean pairs. 'realesrgan': two rounds of blur → resize → noise → JPEG. */
  mode: 'bicubic' | 'realesrgan';
}

const uniform = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();

/**
 * HR crop → LR of size (w/scale, h/scale). Real-ESRGAN's ranges (first order: blur σ 0.2–3,
 * resize 0.15–1.5, noise σ 1–30, JPEG 30–95; second order: blur p 0.8 σ 0.2–1.5, resize 0.3–1.2,
 * noise σ 1–25, JPEG 30–95), drawn from `rand`.
 */
export function degrade(hr: Pixels, scale: number, options: DegradeOptions, rand: () => number): Pixels {
  const outW = Math.round(hr.width / scale);
  const outH = Math.round(hr.height / scale);
  if (options.mode === 'bicubic') return resizeBicubic(hr, outW, outH);
  let x = hr;
  const round = (blurP: number, sigma: [number, number], resize: [number, number], noise: [number, number]) => {
    if (rand() < blurP) x = gaussianBlur(x, uniform(rand, sigma[0], sigma[1]));
    const f = uniform(rand, resize[0], resize[1]);
    x = resizeBicubic(x, Math.max(4, Math.round(x.width * f)), Math.max(4, Math.round(x.height * f)));
    x = addNoise(x, uniform(rand, noise[0], noise[1]), rand() < 0.4, rand);
  };
  round(1, [0.2, 3], [0.15, 1.5], [1, 30]);
  x = jpegSimulate(x, uniform(rand, 30, 95));
  round(0.8, [0.2, 1.5], [0.3, 1.2], [1, 25]);
  x = resizeBicubic(x, outW, outH);
  return jpegSimulate(x, uniform(rand, 30, 95));
}
