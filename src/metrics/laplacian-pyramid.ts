// Laplacian pyramid as in the Progressive GAN paper's SWD code: a 5×5 binomial (Gaussian)
// filter with mirror ('reflect') borders, decimation by 2, and band-pass levels that are the
// difference between a level and the upsampled next one. The last level is the low-pass residual.
//
// Plain typed-array code on purpose: the filter is separable and tiny, the metric needs the
// pixels on the CPU anyway to cut patches, and tfjs's pure-JS backend runs depthwise convolution
// and mirror padding an order of magnitude slower than these loops.

/** NHWC float pixels. */
export interface ImageStack {
  data: Float32Array;
  n: number;
  h: number;
  w: number;
  c: number;
}

const TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** scipy's mode='mirror' == tf.mirrorPad 'reflect': -1 → 1, n → n-2. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/** Separable 5-tap binomial filter with reflected borders, scaled by `gain`. */
function gaussianFilter(img: ImageStack, gain: number): ImageStack {
  const { n, h, w, c, data } = img;
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const rowStride = w * c;
  for (let b = 0; b < n; b++) {
    const base = b * h * rowStride;
    for (let y = 0; y < h; y++) {
      const row = base + y * rowStride;
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let t = 0; t < 5; t++) s += TAPS[t]! * data[row + reflect(x + t - 2, w) * c + ch]!;
          tmp[row + x * c + ch] = s;
        }
      }
    }
    for (let y = 0; y < h; y++) {
      const rows = [0, 1, 2, 3, 4].map((t) => base + reflect(y + t - 2, h) * rowStride);
      const dst = base + y * rowStride;
      for (let k = 0; k < rowStride; k++) {
        let s = 0;
        for (let t = 0; t < 5; t++) s += TAPS[t]! * tmp[rows[t]! + k]!;
        out[dst + k] = s * gain;
      }
    }
  }
  return { n, h, w, c, data: out };
}

/** Blur then keep every second pixel (ceil(h/2) × ceil(w/2)). */
export function pyramidDown(img: ImageStack): ImageStack {
  const blurred = gaussianFilter(img, 1);
  const { n, h, w, c } = img;
  const h2 = Math.ceil(h / 2);
  const w2 = Math.ceil(w / 2);
  const out = new Float32Array(n * h2 * w2 * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h2; y++) {
      for (let x = 0; x < w2; x++) {
        const src = ((b * h + 2 * y) * w + 2 * x) * c;
        for (let ch = 0; ch < c; ch++) out[o++] = blurred.data[src + ch]!;
      }
    }
  }
  return { n, h: h2, w: w2, c, data: out };
}

/** Zero-insertion upsampling to (height, width), then the filter with gain 4 (keeps the mean). */
export function pyramidUp(img: ImageStack, height: number, width: number): ImageStack {
  const { n, h, w, c } = img;
  const up = new Float32Array(n * height * width * c);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h && 2 * y < height; y++) {
      for (let x = 0; x < w && 2 * x < width; x++) {
        const src = ((b * h + y) * w + x) * c;
        const dst = ((b * height + 2 * y) * width + 2 * x) * c;
        for (let ch = 0; ch < c; ch++) up[dst + ch] = img.data[src + ch]!;
      }
    }
  }
  return gaussianFilter({ n, h: height, w: width, c, data: up }, 4);
}

/** Levels from fine to coarse: `levels - 1` band-pass images and the low-pass residual last. */
export function laplacianPyramid(images: ImageStack, levels: number): ImageStack[] {
  const out: ImageStack[] = [];
  let current = images;
  for (let i = 1; i < levels; i++) {
    const down = pyramidDown(current);
    const up = pyramidUp(down, current.h, current.w);
    const band = new Float32Array(current.data.length);
    for (let k = 0; k < band.length; k++) band[k] = current.data[k]! - up.data[k]!;
    out.push({ ...current, data: band });
    current = down;
  }
  out.push(current);
  return out;
}

/** Progressive GAN's choice: one level per halving while the side stays ≥ 16 px (at least one). */
export function defaultPyramidLevels(height: number, width: number, minResolution = 16): number {
  let side = Math.min(height, width);
  let levels = 0;
  while (side >= minResolution) {
    levels++;
    if (side === 1) break;
    side = Math.ceil(side / 2);
  }
  return Math.max(1, levels);
}
