// Types for the parts of start.mjs its test imports.
export function shouldOpenBrowser(platform?: string, env?: Record<string, string | undefined>): boolean;
export function electronBinary(): string | null;
export function defaultPort(): Promise<number>;
