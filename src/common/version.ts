// The studio's version, read from its own package.json (the CLI's --version and system:info).
import { readFileSync } from 'node:fs';

export function version(): string {
  // dist/src/common/ in the build, src/common/ under vitest: walk up to the package's own package.json
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'gan-studio') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}
