/** Bag-of-Bytes features: host and path byte histograms with straddling bytes, L2-normalized, 512 floats. */

export const FEATURE_DIM = 512;
const HALF = 256;

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSchemeChar = (c: number): boolean => isAlpha(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
const isSlash = (c: number | undefined): boolean => c === 47 || c === 92;
/** Schemes a browser reads `\` in as `/`, and after whose `:` it skips any run of both (WHATWG "special" schemes, `file` aside). */
const SPECIAL_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

/**
 * Where the host starts in a URL (char codes `c(i)`, from `from` to `n`, leading blanks and quotes
 * already skipped): after `scheme://`; after `http:` (and the other special schemes) and any run of `/`
 * and `\`, as browsers read `http:\\host\`; after the `//` of a scheme-relative `//host/path`. Else `from`.
 */
function hostStart(c: (i: number) => number | undefined, from: number, n: number): number {
  let i = from;
  while (i < n && isSlash(c(i))) i++;
  if (i - from >= 2) return i;
  if (i > from || i >= n || !isAlpha(c(i)!)) return from;
  // a scheme: a letter, then up to 15 of [A-Za-z0-9+.-], then ':'
  let j = from + 1;
  while (j < n && j - from < 16 && isSchemeChar(c(j)!)) j++;
  if (c(j) !== 58) return from;
  if (j - from <= 5) {
    let name = '';
    for (let k = from; k < j; k++) name += String.fromCharCode(c(k)! | 32);
    if (SPECIAL_SCHEMES.has(name)) {
      let k = j + 1;
      while (k < n && isSlash(c(k))) k++;
      return k;
    }
  }
  return c(j + 1) === 47 && c(j + 2) === 47 ? j + 3 : from;
}

/**
 * The URL as the model reads it: trimmed, leading quotes and blanks dropped (in any order: `"  https://…`),
 * then any scheme removed (see hostStart: `scheme://`, `http:\\`, a scheme-relative `//`).
 * Only ever drops a prefix of the trimmed URL (explain.ts maps weights back by that).
 */
export function stripScheme(url: string): string {
  const s = url.trim().replace(/^["'\s]+/, '');
  return s.slice(hostStart((i) => s.charCodeAt(i), 0, s.length));
}

/** What the model reads of a URL: `scheme` strips the scheme only (the definition); `scheme+www` also a leading `www.`/`www2.` */
export type UrlNormalization = 'scheme' | 'scheme+www';

/** The URL as a model with normalization `mode` reads it (scheme-less). */
export function normalizeUrl(url: string, mode: UrlNormalization): string {
  const s = stripScheme(url);
  return mode === 'scheme+www' ? s.replace(/^www\d{0,2}\./i, '') : s;
}

/**
 * Where the host ends in a scheme-less URL: the first `/`, `?`, `#` or `\` (the path keeps the query).
 * A backslash is no host character: browsers read it as `/` in http(s) URLs (`evil.com\@google.com` is evil.com).
 */
export function hostEnd(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35 || c === 92) return i;
  }
  return s.length;
}

/** The same in scheme-less bytes[0, n). */
export function hostEndBytes(bytes: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === 47 || c === 63 || c === 35 || c === 92) return i;
  }
  return n;
}

/** UTF-8 bytes of `s` into `buf` (grown when needed); ASCII takes a fast path. Returns [buffer, length]. */
export function utf8(s: string, buf: Uint8Array): [Uint8Array, number] {
  const n = s.length;
  if (buf.length < n) buf = new Uint8Array(Math.max(n, buf.length * 2));
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) {
      const b = Buffer.from(s, 'utf8');
      return [b, b.length];
    }
    buf[i] = c;
  }
  return [buf, n];
}

/** Scratch space for one URL's sparse features (reuse it across calls). */
export class SparseScratch {
  readonly idx = new Uint16Array(FEATURE_DIM);
  readonly val = new Float32Array(FEATURE_DIM);
  nnz = 0;
  counts = new Float32Array(FEATURE_DIM);
  bytes: Uint8Array = new Uint8Array(256);
}

/** Counts one part's bytes (b[i] and the straddling byte of b[i], b[i+1]) into bins [off, off+256), sparse. */
function countPart(bytes: Uint8Array, from: number, to: number, off: number, sc: SparseScratch): void {
  const counts = sc.counts;
  const idx = sc.idx;
  const start = sc.nnz;
  let nnz = start;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    let bin = off + b;
    if (counts[bin] === 0) idx[nnz++] = bin;
    counts[bin]! += 1;
    if (i + 1 < to) {
      bin = off + (((b & 0x0f) << 4) | (bytes[i + 1]! >> 4));
      if (counts[bin] === 0) idx[nnz++] = bin;
      counts[bin]! += 1;
    }
  }
  let ss = 0;
  for (let k = start; k < nnz; k++) ss += counts[idx[k]!]! ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  const val = sc.val;
  for (let k = start; k < nnz; k++) {
    const bin = idx[k]!;
    val[k] = counts[bin]! * inv;
    counts[bin] = 0;
  }
  sc.nnz = nnz;
}

/** The scheme-less URL's UTF-8 bytes into `sc.bytes`; returns the length (ASCII without leading junk takes a fast path). */
function urlBytes(url: string, sc: SparseScratch): number {
  const n = url.length;
  const c0 = n > 0 ? url.charCodeAt(0) : 0;
  const cn = n > 0 ? url.charCodeAt(n - 1) : 0;
  // leading/trailing blanks (String.trim's, which include non-ASCII ones) and quotes take the general path
  if (c0 <= 32 || c0 === 34 || c0 === 39 || c0 > 127 || cn <= 32 || cn > 127 || n > 65536) {
    const [b, len] = utf8(stripScheme(url), sc.bytes);
    if (b.length > sc.bytes.length && !(b instanceof Buffer)) sc.bytes = b;
    if (b !== sc.bytes) {
      if (sc.bytes.length < len) sc.bytes = new Uint8Array(len);
      sc.bytes.set(b.subarray(0, len));
    }
    return len;
  }
  if (sc.bytes.length < n) sc.bytes = new Uint8Array(Math.max(n, sc.bytes.length * 2));
  const out = sc.bytes;
  const s = hostStart((i) => url.charCodeAt(i), 0, n);
  for (let i = s; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c > 127) {
      const b = Buffer.from(url.slice(s), 'utf8');
      if (sc.bytes.length < b.length) sc.bytes = new Uint8Array(b.length * 2);
      sc.bytes.set(b);
      return b.length;
    }
    out[i - s] = c;
  }
  return n - s;
}

/** The bytes a model reads of a URL: a string's UTF-8 after its scheme (into `sc.bytes`), or raw bytes after theirs (a view; invalid UTF-8 kept as it is). */
export function schemelessBytes(url: string | Uint8Array, sc: SparseScratch): { bytes: Uint8Array; n: number } {
  if (typeof url === 'string') {
    const n = urlBytes(url, sc);
    return { bytes: sc.bytes, n };
  }
  const bytes = url.subarray(stripSchemeBytes(url));
  return { bytes, n: bytes.length };
}

/**
 * Sparse features of a URL (string or raw bytes): fills `sc.idx/val/nnz` (bins 0–255 host, 256–511
 * path). A byte input is split on its bytes, so invalid UTF-8 is read as it is.
 */
export function sparseFeatures(url: string | Uint8Array, sc: SparseScratch): void {
  const { bytes, n } = schemelessBytes(url, sc);
  const h = hostEndBytes(bytes, n);
  sc.nnz = 0;
  countPart(bytes, 0, h, 0, sc);
  countPart(bytes, h, n, HALF, sc);
}

/** Offset after leading whitespace, quotes and a scheme (as stripScheme drops them) in raw bytes. */
function stripSchemeBytes(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && (b[i] === 32 || b[i] === 9 || b[i] === 34 || b[i] === 39 || b[i] === 10 || b[i] === 13)) i++;
  return hostStart((k) => b[k], i, b.length);
}

/** Dense 512-float features of one URL into `out` at `offset` (the region is overwritten). */
export function denseFeatures(url: string | Uint8Array, out: Float32Array, offset = 0, sc = new SparseScratch()): void {
  out.fill(0, offset, offset + FEATURE_DIM);
  sparseFeatures(url, sc);
  for (let k = 0; k < sc.nnz; k++) out[offset + sc.idx[k]!] = sc.val[k]!;
}

/** Raw (unnormalized) counts of one part, for the golden vectors: bin → count. */
export function partCounts(part: Uint8Array): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < part.length; i++) {
    const b = part[i]!;
    m.set(b, (m.get(b) ?? 0) + 1);
    if (i + 1 < part.length) {
      const s = ((b & 0x0f) << 4) | (part[i + 1]! >> 4);
      m.set(s, (m.get(s) ?? 0) + 1);
    }
  }
  return m;
}
