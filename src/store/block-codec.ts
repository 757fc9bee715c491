/**
 * A block: up to BLOCK_LINES raw lines compressed together (brotli quality 1: the fastest codec in
 * Node that still gets ~3x on log text; measured in docs/architecture.md), with per-line receive
 * times and sources in a small compressed JSON header, and event times as an uncompressed uint32 array
 * so that time filters never decompress text.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

const BROTLI_FAST = { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

export interface BlockLine {
  /** event time offset from the slot start, ms */
  offset: number;
  receivedAt: number;
  source: string;
  raw: string;
}

export interface EncodedBlock {
  n: number;
  tmin: number;
  tmax: number;
  ts: Buffer;
  meta: Buffer;
  data: Buffer;
}

interface BlockMeta {
  /** receive time of the first line; rd: deltas from it (omitted when all equal) */
  r0: number;
  rd?: number[];
  /** distinct sources; si: index per line (omitted when there is one source) */
  s: string[];
  si?: number[];
  /** UTF-16 length of each line, to cut `data` back into lines */
  len: number[];
}

export function encodeBlock(lines: BlockLine[]): EncodedBlock {
  const n = lines.length;
  const ts = new Uint32Array(n);
  const len = new Array<number>(n);
  const r0 = lines[0]!.receivedAt;
  let rd: number[] | undefined;
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const si = new Array<number>(n);
  let tmin = Infinity;
  let tmax = -Infinity;
  let text = '';
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    ts[i] = l.offset;
    if (l.offset < tmin) tmin = l.offset;
    if (l.offset > tmax) tmax = l.offset;
    len[i] = l.raw.length;
    text += l.raw;
    if (l.receivedAt !== r0) {
      if (rd === undefined) rd = new Array<number>(n).fill(0);
      rd[i] = l.receivedAt - r0;
    }
    let k = sourceIndex.get(l.source);
    if (k === undefined) {
      k = sources.length;
      sources.push(l.source);
      sourceIndex.set(l.source, k);
    }
    si[i] = k;
  }
  const meta: BlockMeta = { r0, s: sources, len };
  if (rd !== undefined) meta.rd = rd;
  if (sources.length > 1) meta.si = si;
  return {
    n,
    tmin,
    tmax,
    ts: Buffer.from(ts.buffer, ts.byteOffset, ts.byteLength),
    meta: brotliCompressSync(JSON.stringify(meta), BROTLI_FAST),
    data: brotliCompressSync(text, BROTLI_FAST),
  };
}

export function decodeTimes(ts: Uint8Array): Uint32Array {
  // copy: the blob's buffer may not be 4-byte aligned
  const copy = new Uint8Array(ts);
  return new Uint32Array(copy.buffer, 0, copy.byteLength >>> 2);
}

export interface DecodedBlock {
  raw: string[];
  receivedAt: number[];
  source: string[];
}

export function decodeBlock(metaBlob: Uint8Array, dataBlob: Uint8Array): DecodedBlock {
  const meta = JSON.parse(brotliDecompressSync(metaBlob).toString('utf8')) as BlockMeta;
  const text = brotliDecompressSync(dataBlob).toString('utf8');
  const n = meta.len.length;
  const raw = new Array<string>(n);
  const receivedAt = new Array<number>(n);
  const source = new Array<string>(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const l = meta.len[i]!;
    raw[i] = text.slice(at, at + l);
    at += l;
    receivedAt[i] = meta.r0 + (meta.rd?.[i] ?? 0);
    source[i] = meta.s[meta.si?.[i] ?? 0]!;
  }
  return { raw, receivedAt, source };
}
