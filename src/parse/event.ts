import type { LogEvent, RawRecord } from '../core/index.js';

/**
 * A raw event for the record: what every parser starts from and mutates on success. All fields are
 * created here, in one order, so that every LogEvent shares one hidden class.
 */
export function rawEvent(rec: RawRecord): LogEvent {
  return {
    time: rec.receivedAt,
    receivedAt: rec.receivedAt,
    source: rec.source,
    severity: null,
    facility: null,
    host: null,
    app: null,
    pid: null,
    msgid: null,
    structured: null,
    message: rec.line,
    raw: rec.line,
    parsed: false,
    format: 'raw',
    entities: [],
  };
}

const MAX_PRI = 191;

/**
 * The PRI value of `<n>` at i (1 to 3 digits, at most 191), or -1. A malformed or out-of-range PRI
 * is no PRI: the line is then judged as if it had none, and its text is kept.
 */
export function readPri(s: string, i: number): number {
  if (s.charCodeAt(i) !== 60) return -1;
  let value = 0;
  let j = i + 1;
  for (; j <= i + 3; j++) {
    const d = s.charCodeAt(j) - 48;
    if (!(d >= 0 && d <= 9)) break;
    value = value * 10 + d;
  }
  if (j === i + 1 || s.charCodeAt(j) !== 62 || value > MAX_PRI) return -1;
  return value;
}

/** Index just past the PRI read by readPri (which must have succeeded). */
export function priEnd(s: string, i: number): number {
  return s.indexOf('>', i) + 1;
}

/** Strips one leading byte-order mark: RFC 5424 puts one before a UTF-8 MSG. */
export function withoutBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
