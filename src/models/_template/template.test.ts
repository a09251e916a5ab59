import { beforeAll, describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerFamily } from '../registry.js';
import { expectFamilyBasics } from '../../training/testing/family-test-kit.js';
import { templateFamily } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFamily(templateFamily); // a real family does this in src/models/index.ts
});

describe('template family', () => {
  it('passes the checks every family passes', async () => {
    await expectFamilyBasics('template', { size: 8, channels: 3 });
  });
});
