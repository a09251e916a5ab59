import { describe, expect, it } from 'vitest';
import { explain } from './error-hints.js';

describe('explain', () => {
  it('takes the core message\'s own fix instead of adding a second, different one', () => {
    expect(explain('ZIP_TOO_LARGE', 'big.zip: the archive unpacks to 9 GB, over the 4 GB limit — split it, or import the unpacked folder'))
      .toEqual({ what: 'big.zip: the archive unpacks to 9 GB, over the 4 GB limit', fix: 'Split it, or import the unpacked folder.' });
  });
  it('speaks the window\'s language, not the CLI\'s', () => {
    const { fix } = explain('ZIP_UNSAFE_PATH', 'a.zip: 1 of 3 entries were refused (first: x — re-create it), so nothing from this archive was imported — fix the archive, or import the valid part (--accept-partial)');
    expect(fix).toBe('Fix the archive, or import the valid part.');
  });
  it('falls back to the general hint for a message without one', () => {
    expect(explain('DISK_FULL', 'no space left on /data').fix).toMatch(/Free space/);
  });
});
