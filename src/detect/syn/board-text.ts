/** The words of the SYN board's host summaries. */

/** `count` per `spanUs` (µs) in the unit that reads best: `24.1/s`, `3.5/min`, `0.8/h`. */
export function rateText(count: number, spanUs: number): string {
  const perS = count / Math.max(1e-3, spanUs / 1e6);
  if (perS >= 1) return `${perS.toFixed(1)}/s`;
  if (perS * 60 >= 1) return `${(perS * 60).toFixed(1)}/min`;
  if (perS * 3600 >= 1) return `${(perS * 3600).toFixed(1)}/h`;
  return `${(perS * 86400).toFixed(1)}/day`;
}

/**
 * How fast a host sent its SYNs, with the time they took: `50 SYNs` → `in 300 ms, 163.3/s`. The rate is
 * of the gaps between SYNs (count − 1 of them), and the span is said: a host's summary read "166.7/s" for
 * 50 SYNs in 0.3 s, which read as a sustained rate, and "2000.0/s" for two SYNs 1 ms apart. Under a
 * millisecond there is no rate worth giving (`within 1 ms`). '' for a single SYN.
 */
export function paceText(count: number, spanUs: number): string {
  if (count < 2) return '';
  if (spanUs < 1e3) return 'within 1 ms';
  return `in ${durationText(spanUs)}, ${rateText(count - 1, spanUs)}`;
}

/** A short stretch of time (µs) as `300 ms`, `1.4 s`, else as `spanText` writes it. */
export function durationText(us: number): string {
  if (us < 1e6) return `${Math.round(us / 1e3)} ms`;
  if (us < 10e6) return `${(us / 1e6).toFixed(1)} s`;
  return spanText(us);
}

/** `3 SYNs`, `1 SYN` */
export const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/**
 * The 32-SYN windows a host's score is made of: `1 window of 5 SYNs`, `2 windows of 32 SYNs`, `3 windows
 * (2 of 32 SYNs, 1 of 5)`. The latest window is partial until it fills: a one-SYN host was described as
 * "1 window of 32 SYNs".
 */
export function windowsText(count: number, size: number): string {
  const full = Math.floor(count / size);
  const rest = count % size;
  if (rest === 0) return `${plural(full, 'window')} of ${size} SYNs`;
  if (full === 0) return `1 window of ${plural(rest, 'SYN')}`;
  return `${full + 1} windows (${full} of ${size} SYNs, 1 of ${rest})`;
}

/** A stretch of capture time (µs) in the unit that reads best: `40 s`, `12 min`, `3.5 h`. */
export function spanText(us: number): string {
  const s = Math.max(0, us) / 1e6;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Number((s / 3600).toFixed(1))} h`;
}
