// A model family that exists only for a test (fixture-family.test.ts): proof that adding a
// family is this one folder plus one `registerFamily` line — the registry, system:tasks, the
// training loop and `generate` then know it, with no list anywhere else to edit. Its networks
// are the template's (src/models/_template/, the runnable example to copy); only the identity
// differs, and the model says which family it is so its checkpoints load back as this one.
import type { ModelFamily } from '../../types.js';
import { requireTask } from '../../common/presets.js';
import { templateFamily } from '../../_template/index.js';

export const fixtureFamily: ModelFamily = {
  id: 'fixture',
  task: 'generate',
  title: 'Fixture (test only)',
  description: 'Registered by a test to show that a family folder is all a new family needs.',
  batchKeys: templateFamily.batchKeys,
  resolve(spec) {
    requireTask('fixture', spec, 'generate');
    return templateFamily.resolve(spec);
  },
  create: (spec, random) => ({ ...templateFamily.create(spec, random), family: 'fixture' }),
};
