import { describe, expect, it } from 'vitest';
import { interruptedMessage, readableMessage } from './format.js';

describe('interruptedMessage', () => {
  it('gives the advice once, whether or not the reason already carries it', () => {
    expect(interruptedMessage('the engine process exited; resume to continue from the latest checkpoint'))
      .toBe('The engine process exited. Press Resume to continue from the last checkpoint.');
    expect(interruptedMessage('GAN Studio stopped while this job was running'))
      .toBe('GAN Studio stopped while this job was running. Press Resume to continue from the last checkpoint.');
    expect(interruptedMessage('')).toBe('The job stopped before it finished. Press Resume to continue from the last checkpoint.');
  });
});

describe('readableMessage', () => {
  it('shows a dropped file by its own name, not its staging path on the server', () => {
    expect(readableMessage('no usable images in /tmp/gan-e2e-x/staging/uploads/drop-mx0-zg8/sneaky.zip (2 refused)'))
      .toBe('no usable images in sneaky.zip (2 refused)');
    expect(readableMessage('C:\\ws\\staging\\uploads\\drop-1\\faces\\a.png: corrupt')).toBe('faces\\a.png: corrupt');
    expect(readableMessage('/home/me/a.png: corrupt')).toBe('/home/me/a.png: corrupt');
  });
});
