/** The words of the SYN board's host summaries. */

/** A host's SYN rate in the unit that reads best: `24.1/s`, `3.5/min`, `0.8/h` (span in µs). */
export function rateText(count: number, spanUs: number): string {
  const perS = count / Math.max(1e-3, spanUs / 1e6);
  if (perS >= 1) return `${perS.toFixed(1)}/s`;
  if (perS * 60 >= 1) return `${(perS * 60).toFixed(1)}/min`;
  if (perS * 3600 >= 1) return `${(perS * 3600).toFixed(1)}/h`;
  return `${(perS * 86400).toFixed(1)}/day`;
}

/** `3 SYNs`, `1 SYN` */
export const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
