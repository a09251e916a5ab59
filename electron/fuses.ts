// Electron fuses, flipped in the packaged binary by electron-builder's afterPack hook
// (electron-builder.config.cjs). Plain data first, so a test can assert every setting.
import type { FuseConfig } from '@electron/fuses';

/** By name, as the Electron docs call them. */
export const FUSE_SETTINGS = Object.freeze({
  /** ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node. */
  RunAsNode: false,
  EnableCookieEncryption: true,
  /** NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or CAs. */
  EnableNodeOptionsEnvironmentVariable: false,
  /** --inspect and SIGUSR1 would attach a debugger to the main process. */
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  /** we never use file:// */
  GrantFileProtocolExtraPrivileges: false,
});

export type FuseName = keyof typeof FUSE_SETTINGS;

/** The @electron/fuses wire config (enum indices) built from FUSE_SETTINGS. */
export async function fuseWireConfig(platform: string, arch: string): Promise<FuseConfig> {
  const { FuseV1Options, FuseVersion } = await import('@electron/fuses');
  const config: Record<string | number, unknown> = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(FUSE_SETTINGS)) config[FuseV1Options[name as FuseName]] = value;
  // flipping fuses breaks an arm64 mac binary's ad-hoc signature; re-sign it (real signing comes later)
  config.resetAdHocDarwinSignature = platform === 'darwin' && arch === 'arm64';
  return config as unknown as FuseConfig;
}

/** The subset of electron-builder's AfterPackContext this hook reads. */
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number | string;
  packager: { appInfo: { productFilename: string }; executableName?: string; platformSpecificBuildOptions?: { executableName?: string | null } };
}

const ARCH_NAMES: Record<number, string> = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** Where electron-builder put the Electron binary for this platform. */
export function packagedExecutable(ctx: PackContext): string {
  const product = ctx.packager.appInfo.productFilename;
  switch (ctx.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return `${ctx.appOutDir}/${product}.app`;
    case 'win32':
      return `${ctx.appOutDir}/${product}.exe`;
    default:
      return `${ctx.appOutDir}/${ctx.packager.executableName ?? ctx.packager.platformSpecificBuildOptions?.executableName ?? product}`;
  }
}

export async function afterPack(ctx: PackContext): Promise<void> {
  const { flipFuses } = await import('@electron/fuses');
  const arch = typeof ctx.arch === 'number' ? (ARCH_NAMES[ctx.arch] ?? String(ctx.arch)) : ctx.arch;
  await flipFuses(packagedExecutable(ctx), await fuseWireConfig(ctx.electronPlatformName, arch));
}
