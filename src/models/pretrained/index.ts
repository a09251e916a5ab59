// Pretrained models from npm, loaded through a validating loader (see layers-loader.ts).
export * from './catalog.js';
export { registerEsrganCustomLayers, MultiplyBeta } from './custom-layers.js';
export { loadLayersModelFromDir, readLayersModelArtifacts, folderIOHandler, containedPath, type ExpectedFile, type LoadOptions } from './layers-loader.js';
