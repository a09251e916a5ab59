// The command table lists names and summaries without importing the commands (start-up time);
// this keeps it in step with the modules it loads lazily.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './index.js';
import { main } from '../main.js';

describe('command table', () => {
  it('each lazy entry loads the command of the same name and summary', async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      expect({ name: cmd.name, summary: cmd.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });

  it('lists every command in --help and loads one for its own --help', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), tty: false };
    expect(await main(['--help'], io)).toBe(0);
    for (const entry of COMMANDS) expect(out.join('\n')).toContain(`  ${entry.name}`);
    out.length = 0;
    expect(await main(['jobs', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^Usage: gan-studio jobs/);
  });
});
