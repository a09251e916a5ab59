import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Rebuild dist/ once per test run so forked engine processes run the code under test. */
export default function setup(): void {
  const script = fileURLToPath(new URL('./build-node.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
