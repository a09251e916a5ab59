// A bare `gan-studio` says where to start, and every command it suggests parses.
import { describe, expect, it } from 'vitest';
import { main, startHere } from './main.js';

describe('gan-studio with no arguments', () => {
  it('prints "start here" (import a sample, train tiny, open the studio) and exits 0', async () => {
    const out: string[] = [];
    expect(await main([], { out: (l) => out.push(l), err: (l) => out.push(l), tty: false })).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Start here');
    for (const step of ['import --sample mnist', '--preset tiny', 'gan-studio serve']) expect(text).toContain(step);
  });

  it('each suggested command is accepted by its parser', async () => {
    const suggested = [...startHere().matchAll(/gan-studio ([a-z]+(?: [^`\n]*)?)/g)].map((m) => m[1]!.trim()).filter((c) => !c.startsWith('--help'));
    expect(suggested.length).toBeGreaterThanOrEqual(4);
    for (const line of suggested) {
      const out: string[] = [];
      const code = await main([...line.split(/\s+/), '--help'], { out: (l) => out.push(l), err: (l) => out.push(l), tty: false });
      expect(code, `${line}\n${out.join('\n')}`).toBe(0);
    }
  });
});
