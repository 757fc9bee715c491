/**
 * RFC 5424 STRUCTURED-DATA: `[id k="v" k2="a\"b"][id2 ...]`. Inside a value `\"`, `\\` and `\]`
 * are escapes; any other backslash is kept literally, as the RFC says.
 */

export type StructuredData = Record<string, Record<string, string>>;

export interface SdRead {
  data: StructuredData;
  end: number;
}

/** Own property even for `__proto__`: a log line must not change an object's prototype. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function nameEnd(s: string, i: number): number {
  let j = i;
  for (;;) {
    const c = s.charCodeAt(j);
    if (Number.isNaN(c) || c === 32 || c === 61 || c === 93 || c === 34) return j;
    j++;
  }
}

/** The value whose opening quote is at i-1, unescaped, and the index past its closing quote; null if unterminated. */
function readValue(s: string, i: number): [string, number] | null {
  let out = '';
  let from = i;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) return [out + s.slice(from, j), j + 1];
    if (c !== 92) continue;
    const next = s.charCodeAt(j + 1);
    if (next === 34 || next === 92 || next === 93) {
      out += s.slice(from, j);
      from = j + 1;
      j++;
    }
  }
  return null;
}

/** Reads the params of one element after its SD-ID; returns the index past `]` or -1. */
function readParams(s: string, i: number, params: Record<string, string>): number {
  let j = i;
  for (;;) {
    if (s.charCodeAt(j) === 93) return j + 1;
    if (s.charCodeAt(j) !== 32) return -1;
    while (s.charCodeAt(j) === 32) j++;
    if (s.charCodeAt(j) === 93) return j + 1;
    const end = nameEnd(s, j);
    if (end === j || s.charCodeAt(end) !== 61 || s.charCodeAt(end + 1) !== 34) return -1;
    const value = readValue(s, end + 2);
    if (value === null) return -1;
    setOwn(params, s.slice(j, end), value[0]);
    j = value[1];
  }
}

/** Structured data starting with `[` at i, or null when malformed. Repeated SD-IDs are merged. */
export function readStructuredData(s: string, i: number): SdRead | null {
  const data: StructuredData = {};
  let j = i;
  while (s.charCodeAt(j) === 91) {
    const idEnd = nameEnd(s, j + 1);
    if (idEnd === j + 1) return null;
    const id = s.slice(j + 1, idEnd);
    let params = Object.prototype.hasOwnProperty.call(data, id) ? data[id]! : undefined;
    if (params === undefined) {
      params = {};
      setOwn(data, id, params);
    }
    j = readParams(s, idEnd, params);
    if (j < 0) return null;
  }
  return { data, end: j };
}
