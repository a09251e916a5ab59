// One workspace for the app, the CLI and the server: --workspace DIR, else $GAN_STUDIO_HOME,
// else ~/.gan-studio. The Electron app uses the same folder (not a separate userData copy).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function resolveWorkspace(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit && explicit.trim()) return resolve(explicit);
  if (env.GAN_STUDIO_HOME && env.GAN_STUDIO_HOME.trim()) return resolve(env.GAN_STUDIO_HOME);
  return join(homedir(), '.gan-studio');
}

/** The fixed layout inside a workspace. Everything the catalog lists lives under these. */
export function workspaceLayout(root: string) {
  return {
    root,
    catalog: join(root, 'catalog.sqlite'),
    datasets: join(root, 'datasets'),
    runs: join(root, 'runs'),
    gallery: join(root, 'gallery'),
    exports: join(root, 'exports'),
    models: join(root, 'models'),
    cache: join(root, 'cache'),
    trash: join(root, 'trash'),
    staging: join(root, 'staging'),
    logs: join(root, 'logs'),
  };
}
export type WorkspaceLayout = ReturnType<typeof workspaceLayout>;
