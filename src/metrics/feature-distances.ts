// Distances between two sets of feature vectors (rows of an n×d matrix), as in
// "Demystifying MMD GANs" (Bińkowski et al. 2018) and the FID paper (Heusel et al. 2017).
//
// KID is the squared MMD with the cubic polynomial kernel k(x, y) = (x·y / d + 1)³, estimated
// without bias: its expected value does not depend on how many samples are drawn, so a number
// from 256 samples at a checkpoint is comparable with one from 1,000 in a benchmark. FID fits a
// Gaussian to each set and is biased upwards at small n (it shrinks as n grows): report it with
// its sample count, and prefer KID for per-checkpoint numbers.
//
// Plain float64 JavaScript: d is ~100, n a few hundred to a few thousand, so this takes
// milliseconds to a second and needs no backend.

export interface FeatureSet {
  /** row-major n×d */
  values: Float64Array | Float32Array;
  n: number;
  d: number;
}

function dot(a: FeatureSet, i: number, b: FeatureSet, j: number): number {
  let s = 0;
  const ai = i * a.d;
  const bj = j * b.d;
  for (let k = 0; k < a.d; k++) s += a.values[ai + k]! * b.values[bj + k]!;
  return s;
}

/** Unbiased MMD² with the cubic polynomial kernel (KID). Can be slightly negative for equal sets. */
export function kernelInceptionDistance(x: FeatureSet, y: FeatureSet): number {
  if (x.d !== y.d) throw new Error(`KID needs features of one width, got ${x.d} and ${y.d}`);
  if (x.n < 2 || y.n < 2) throw new Error('KID needs at least 2 samples per set');
  const d = x.d;
  const k = (a: FeatureSet, i: number, b: FeatureSet, j: number) => (dot(a, i, b, j) / d + 1) ** 3;
  let xx = 0;
  for (let i = 0; i < x.n; i++) for (let j = i + 1; j < x.n; j++) xx += k(x, i, x, j);
  let yy = 0;
  for (let i = 0; i < y.n; i++) for (let j = i + 1; j < y.n; j++) yy += k(y, i, y, j);
  let xy = 0;
  for (let i = 0; i < x.n; i++) for (let j = 0; j < y.n; j++) xy += k(x, i, y, j);
  return (2 * xx) / (x.n * (x.n - 1)) + (2 * yy) / (y.n * (y.n - 1)) - (2 * xy) / (x.n * y.n);
}

function meanAndCovariance(s: FeatureSet): { mean: Float64Array; cov: Float64Array } {
  const { n, d, values } = s;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k]! += values[i * d + k]! / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) row[k] = values[i * d + k]! - mean[k]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { mean, cov };
}

/**
 * Eigenvalues and eigenvectors of a symmetric d×d matrix (cyclic Jacobi rotations). Returns
 * vectors as columns of a row-major matrix. Accurate to ~1e-12 for the sizes used here.
 */
export function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => a[i * d + i]!), vectors: v };
}

/**
 * Fréchet distance between Gaussians fitted to the two sets:
 * |μx − μy|² + tr Σx + tr Σy − 2 tr √(Σx Σy), with tr √(Σx Σy) = Σ √λ of √Σx Σy √Σx.
 */
export function frechetDistance(x: FeatureSet, y: FeatureSet): number {
  if (x.d !== y.d) throw new Error(`FID needs features of one width, got ${x.d} and ${y.d}`);
  const d = x.d;
  const a = meanAndCovariance(x);
  const b = meanAndCovariance(y);
  let meanTerm = 0;
  let traces = 0;
  for (let k = 0; k < d; k++) {
    meanTerm += (a.mean[k]! - b.mean[k]!) ** 2;
    traces += a.cov[k * d + k]! + b.cov[k * d + k]!;
  }
  // √Σx from its eigen-decomposition (negative round-off clamped to 0)
  const ea = symmetricEigen(a.cov, d);
  const sqrtA = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += ea.vectors[i * d + k]! * Math.sqrt(Math.max(0, ea.values[k]!)) * ea.vectors[j * d + k]!;
      sqrtA[i * d + j] = s;
    }
  }
  const multiply = (p: Float64Array, q: Float64Array) => {
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
      const pik = p[i * d + k]!;
      if (pik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j]! += pik * q[k * d + j]!;
    }
    return out;
  };
  const m = multiply(multiply(sqrtA, b.cov), sqrtA);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) m[i * d + j] = m[j * d + i] = (m[i * d + j]! + m[j * d + i]!) / 2;
  let traceSqrt = 0;
  for (const lambda of symmetricEigen(m, d).values) traceSqrt += Math.sqrt(Math.max(0, lambda));
  return Math.max(0, meanTerm + traces - 2 * traceSqrt);
}
