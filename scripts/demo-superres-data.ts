// Procedural "photo-like" images for the super-resolution demo. The emoji sets are flat
// cartoons and no photo collection ships in node_modules, so we use the dead-leaves model:
// occluding shapes with power-law sizes, which reproduces the scale invariance, edge statistics
// and ~1/f² spectrum of natural photographs (Lee, Mumford & Huang 2001; Achddou et al. 2021
// train SR/denoisers on dead leaves nearly as well as on photos). Each leaf gets a shading
// gradient and a band-limited texture; the whole picture gets lens blur and sensor noise.
import { addNoise, gaussianBlur, seededRandom, type Pixels } from '../src/data/sr-degrade.js';

export function deadLeaves(width: number, height: number, seed: number): Pixels {
  const rand = seededRandom(seed * 7919 + 13);
  const data = new Float32Array(width * height * 3);
  const base = [rand() * 255, rand() * 255, rand() * 255];
  for (let p = 0; p < width * height; p++) data.set(base, p * 3);
  const rMin = 2;
  const rMax = Math.max(width, height) / 3;
  const leaves = Math.round((width * height) / 60);
  for (let k = 0; k < leaves; k++) {
    // radius density ∝ r⁻³ (scale invariance), by inverse-CDF sampling
    const u = rand();
    const r = 1 / Math.sqrt((1 - u) / (rMin * rMin) + u / (rMax * rMax));
    const cx = rand() * width;
    const cy = rand() * height;
    const color = [rand() * 255, rand() * 255, rand() * 255];
    const shade = [(rand() - 0.5) * 80 / r, (rand() - 0.5) * 80 / r];
    const tex = { amp: rand() * 30, fx: 0.2 + rand() * 1.2, fy: 0.2 + rand() * 1.2, ph: rand() * 6.3 };
    const square = rand() < 0.25; // some straight edges, as in man-made scenes
    const angle = rand() * Math.PI;
    const [ca, sa] = [Math.cos(angle), Math.sin(angle)];
    const x0 = Math.max(0, Math.floor(cx - r * 1.5));
    const x1 = Math.min(width - 1, Math.ceil(cx + r * 1.5));
    const y0 = Math.max(0, Math.floor(cy - r * 1.5));
    const y1 = Math.min(height - 1, Math.ceil(cy + r * 1.5));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const dx = x - cx;
        const dy = y - cy;
        const inside = square ? Math.abs(dx * ca + dy * sa) <= r && Math.abs(-dx * sa + dy * ca) <= r * 0.7 : dx * dx + dy * dy <= r * r;
        if (!inside) continue;
        const t = tex.amp * Math.sin(x * tex.fx + tex.ph) * Math.sin(y * tex.fy);
        const s = shade[0]! * dx + shade[1]! * dy;
        for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = color[c]! + s + t;
      }
    }
  }
  let img: Pixels = { data, width, height, channels: 3 };
  img = gaussianBlur(img, 0.5 + rand() * 0.4); // lens
  img = addNoise(img, 1 + rand() * 2, false, rand); // sensor
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.min(255, Math.max(0, Math.round(img.data[i]!)));
  return img;
}
