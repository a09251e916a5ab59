// Test helper run as a child process (dist/src/training/testing/save-loop-child.js): saves
// checkpoints of a mid-sized model in a loop until killed. The SIGKILL test kills it at random
// moments and then checks that the run folder still loads.
import * as tf from '@tensorflow/tfjs';
import { getFamily } from '../../models/index.js';
import { TrainSpec } from '../../contract/runs.js';
import { saveCheckpoint } from '../checkpoint.js';
import { configHash } from '../config-hash.js';
import { stepRandom } from '../../models/step-random.js';

const [runDir, firstStep] = process.argv.slice(2);
await tf.setBackend('cpu');
const family = getFamily('vanilla');
// ~250 k weights (1 MB): a save takes long enough that random kills land inside it
const spec = family.resolve(TrainSpec.parse({ task: 'generate', model: 'vanilla', size: 28, channels: 1, seed: 1 }));
const model = family.create(spec, stepRandom(1));
for (let step = Number(firstStep); ; step++) {
  await saveCheckpoint(runDir!, model, { step, configHash: configHash(spec), cursor: { position: step }, keep: 2 });
  process.stdout.write(`saved ${step}\n`);
}
