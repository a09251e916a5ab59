// The public face of src/training: what the job engine, CLI, handlers and other families use.
export { train, resolveTrainSpec, type TrainOptions, type TrainResult } from './train.js';
export { stepRandom } from './step-random.js';
export { memoryBatchSource, seededPermutation } from './memory-source.js';
export {
  saveCheckpoint, loadLatestCheckpoint, listCheckpoints, readCheckpoint, removeLeftovers, checkpointName, checkpointsDir,
  type LoadedCheckpoint, type SaveOptions,
} from './checkpoint.js';
export { serializeModel, restoreModel, CHECKPOINT_FORMAT, type CheckpointState, type TensorEntry } from './checkpoint-format.js';
export { loadModelForInference, type InferenceModel } from './load-model.js';
export { configHash, configDifferences, hashedConfig, RESUME_FREE_FIELDS } from './config-hash.js';
export { readMetrics, readRunSpec, runPaths, type RunSpecFile } from './run-files.js';
export { folderSource, loadSquare } from './folder-source.js';
