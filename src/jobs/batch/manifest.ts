// `<out>/.gan-studio-batch.jsonl`: one line per output this tool wrote into a folder — which
// input (path + size + mtime, or zip entry + crc) and which settings made it. A rerun skips an
// output whose line matches; any other existing file is never overwritten.
import { appendFile, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const MANIFEST_FILE = '.gan-studio-batch.jsonl';

export type Manifest = Map<string, { key: string; settings: string }>;

export async function readManifest(outDir: string): Promise<Manifest> {
  const map: Manifest = new Map();
  let text = '';
  try {
    text = await readFile(join(outDir, MANIFEST_FILE), 'utf8');
  } catch {
    return map;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as { output: string; key: string; settings: string };
      map.set(e.output, { key: e.key, settings: e.settings });
    } catch {
      // a line cut short by a crash: ignore it (that output is redone)
    }
  }
  return map;
}

export async function appendManifest(outDir: string, entry: { output: string; key: string; settings: string }): Promise<void> {
  await appendFile(join(outDir, MANIFEST_FILE), JSON.stringify(entry) + '\n');
}

export async function sourceKey(path: string): Promise<string> {
  try {
    const st = await stat(path);
    return `${path}:${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return `${path}:missing`;
  }
}

/** Hash of everything that changes an output's pixels (not inputs, out folder or fail-fast). */
export function settingsHash(s: Record<string, unknown>): string {
  const keys = ['task', 'model', 'modelVersion', 'scale', 'direction', 'format', 'quality', 'tile', 'seed'];
  const picked = Object.fromEntries(keys.map((k) => [k, s[k] ?? null]));
  // added later: only when set, so outputs written before it existed still match
  if (s.checkpoint) picked.checkpoint = s.checkpoint;
  return createHash('sha256').update(JSON.stringify(picked)).digest('hex').slice(0, 16);
}
