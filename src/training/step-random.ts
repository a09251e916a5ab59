// stepRandom lives in models/step-random.ts (data/ needs it and sits below training/). This
// re-export keeps imports written before the move compiling; new code imports the models/ path.
export { stepRandom } from '../models/step-random.js';
