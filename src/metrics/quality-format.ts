// Names and short text of the quality numbers, free of tfjs so the CLI's listing stays light.

export const QUALITY_PREFIX = 'quality/';

/** "KID 0.012 · 81 % confident" — the short form for tables and the CLI. */
export function formatQuality(scores: Record<string, number>): string {
  const kid = scores[`${QUALITY_PREFIX}kid`];
  const confident = scores[`${QUALITY_PREFIX}confident`];
  const swd = scores[`${QUALITY_PREFIX}swd`];
  const parts: string[] = [];
  if (kid !== undefined) parts.push(`KID ${kid.toFixed(4)}`);
  if (confident !== undefined) parts.push(`${Math.round(confident * 100)} % confident`);
  if (kid === undefined && swd !== undefined) parts.push(`SWD ${swd.toFixed(4)}`);
  return parts.join(' · ');
}
