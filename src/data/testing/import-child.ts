// A minimal import process for crash and permission tests: loads only the workspace and import
// modules (the full CLI also loads tfjs, which makes each child start seconds slower).
// Usage: node import-child.js WORKSPACE PATH... ; prints the ImportReport as one JSON line.
import { openWorkspace } from '../../workspace/workspace.js';
import { importIntoWorkspace } from '../import.js';
import { silentReporter } from '../../common/reporter.js';

const [root, ...paths] = process.argv.slice(2);
const ws = openWorkspace(root);
try {
  const report = await importIntoWorkspace(ws, { paths, commitEvery: Number(process.env.COMMIT_EVERY ?? 256) }, { signal: new AbortController().signal, report: silentReporter });
  console.log(JSON.stringify({ report }));
} finally {
  ws.close();
}
