// docs/CLI.md's table of every subcommand's flags is checked against the parsers, and an old
// spelling works with a one-line notice.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from './commands/index.js';
import { main } from './main.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/CLI.md', import.meta.url)), 'utf8');

/** command → { flags, renamed } from the "Every subcommand" table's rows */
function table(): Map<string, { flags: string[]; renamed: Record<string, string> }> {
  const rows = new Map<string, { flags: string[]; renamed: Record<string, string> }>();
  const section = doc.slice(doc.indexOf('## Every subcommand'));
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const name = /^`([a-z]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!name || cells.length !== 4) continue;
    const flags = [...cells[2]!.matchAll(/`--([a-z-]+)`/g)].map((m) => m[1]!);
    const renamed = Object.fromEntries([...cells[3]!.matchAll(/`--([a-z-]+)` → `--([a-z-]+)`/g)].map((m) => [m[1]!, m[2]!]));
    rows.set(name, { flags, renamed });
  }
  return rows;
}

describe('docs/CLI.md', () => {
  it('lists every subcommand with exactly the flags its parser takes, and its old spellings', async () => {
    const rows = table();
    expect([...rows.keys()].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      const row = rows.get(cmd.name)!;
      expect([...row.flags].sort(), cmd.name).toEqual(Object.keys(cmd.options).sort());
      expect(row.renamed, cmd.name).toEqual(cmd.renamed ?? {});
    }
  });

  it('no command spells a run two ways: --run only where train continues one', async () => {
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      if (cmd.name !== 'train') expect(Object.keys(cmd.options), cmd.name).not.toContain('run');
    }
  });
});

describe('old spellings', () => {
  it('--run still works where --model is meant, with one line on stderr; both at once is refused', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), tty: false };
    const code = await main(['generate', '--run', 'no-such-run', '--workspace', '/nonexistent-gan-ws'], io);
    expect(code).toBe(1);
    expect(err[0]).toBe('gan-studio generate: --run is deprecated, use --model (same meaning; see docs/CLI.md)');
    expect(err[1]).toMatch(/NOT_FOUND: no run "no-such-run"/);
    err.length = 0;
    expect(await main(['stylize', '--run', 'a', '--model', 'b', 'x.png', '--out', 'o'], io)).toBe(2);
    expect(err[0]).toContain('--run is the old spelling of --model: give only --model');
  });
});
