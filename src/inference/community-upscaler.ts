// An ESRGAN-family model read from a .safetensors file (RRDBNet, SRVGGNetCompact) as an
// Upscaler: one more kind of super-resolution predictor beside runs, TF.js folders and the
// pretrained ESRGANs, so upscale, batch and compare run it through the same tiled path.
import { basename } from 'node:path';
import { detectArchitecture } from '../models/community/architecture.js';
import { buildCommunityNet } from '../models/community/networks.js';
import { readSafetensors, tensorValues } from '../models/community/safetensors.js';
import type { Upscaler } from './predictors.js';

/** Loads, detects and builds the network in `path`; errors name the tensor and the file. */
export async function safetensorsUpscaler(path: string, id = `safetensors:${basename(path)}`): Promise<Upscaler> {
  const file = await readSafetensors(path);
  const detected = detectArchitecture(path, file.tensors);
  const net = buildCommunityNet(detected, (name) => tensorValues(file, name), (name) => file.tensors.get(name)!.shape);
  const a = net.architecture;
  return {
    id,
    scale: a.scale,
    // Real-ESRGAN's convention: RGB in [0, 1] in and out (outputs clamped when written)
    inputRange: [0, 1],
    outputRange: [0, 1],
    channels: a.inChannels === 1 ? 1 : 3,
    bytesPerInputPixel: net.bytesPerInputPixel,
    predict: (x) => net.predict(x),
    dispose: () => net.dispose(),
  };
}
