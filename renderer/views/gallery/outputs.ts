// generate:* return their outputs as strings: workspace-relative paths (or absolute ones under the
// workspace). This turns either into something fileUrl can load.
export function outputPath(item: string, relative: (p: string) => string | null): string {
  return relative(item) ?? item;
}
