import { describe, expect, it } from 'vitest';
import { interruptedMessage } from './format.js';

describe('interruptedMessage', () => {
  it('gives the advice once, whether or not the reason already carries it', () => {
    expect(interruptedMessage('the engine process exited; resume to continue from the latest checkpoint'))
      .toBe('The engine process exited. Press Resume to continue from the last checkpoint.');
    expect(interruptedMessage('GAN Studio stopped while this job was running'))
      .toBe('GAN Studio stopped while this job was running. Press Resume to continue from the last checkpoint.');
    expect(interruptedMessage('')).toBe('The job stopped before it finished. Press Resume to continue from the last checkpoint.');
  });
});
