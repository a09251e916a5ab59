// Import rate of the 3,786 64-px PNGs of emoji-datasource-google into a fresh workspace
// (read, hash, validate, copy, journal, split, stats, mosaic), then a second import of the same
// files (hard links to the stored copies). Prints one JSON line.
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkspace } from '../src/workspace/workspace.js';
import { importIntoWorkspace } from '../src/data/import.js';
import { silentReporter } from '../src/common/reporter.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const folder = join(repo, 'node_modules', 'emoji-datasource-google', 'img', 'google', '64');
const files = readdirSync(folder).length;
const root = mkdtempSync(join(tmpdir(), 'gan-bench-import-'));
try {
  const ws = openWorkspace(root);
  const ctx = { signal: new AbortController().signal, report: silentReporter };
  const t0 = performance.now();
  const first = await importIntoWorkspace(ws, { paths: [folder], name: 'emoji' }, ctx);
  const firstSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await importIntoWorkspace(ws, { paths: [folder], name: 'emoji again' }, ctx);
  const secondSeconds = (performance.now() - t1) / 1000;
  ws.close();
  console.log(JSON.stringify({
    files,
    accepted: first.accepted,
    duplicates: first.duplicates.length,
    rejected: first.rejected.length,
    seconds: Number(firstSeconds.toFixed(2)),
    images_per_s: Math.round(files / firstSeconds),
    reimport_images_per_s: Math.round(files / secondSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
