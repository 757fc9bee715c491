/** URLs as a sparse feature matrix (CSR): what training and batch scoring read. */
import { FEATURE_DIM, SparseScratch, sparseFeatures } from './features.js';

export interface SparseSet {
  n: number;
  /** row r's entries are [rowPtr[r], rowPtr[r+1]) */
  rowPtr: Int32Array;
  idx: Uint16Array;
  val: Float32Array;
  /** 1 malicious, 0 benign (zeros when unlabelled) */
  labels: Uint8Array;
}

/** Builds the CSR features of `urls` (labels optional). */
export function toSparseSet(urls: readonly (string | Uint8Array)[], labels?: ArrayLike<number>): SparseSet {
  const sc = new SparseScratch();
  const rowPtr = new Int32Array(urls.length + 1);
  let cap = Math.max(1024, urls.length * 96);
  let idx = new Uint16Array(cap);
  let val = new Float32Array(cap);
  let p = 0;
  for (let r = 0; r < urls.length; r++) {
    sparseFeatures(urls[r]!, sc);
    if (p + sc.nnz > cap) {
      cap = Math.max(cap * 2, p + FEATURE_DIM);
      const i2 = new Uint16Array(cap);
      i2.set(idx.subarray(0, p));
      idx = i2;
      const v2 = new Float32Array(cap);
      v2.set(val.subarray(0, p));
      val = v2;
    }
    idx.set(sc.idx.subarray(0, sc.nnz), p);
    val.set(sc.val.subarray(0, sc.nnz), p);
    p += sc.nnz;
    rowPtr[r + 1] = p;
  }
  const lab = new Uint8Array(urls.length);
  if (labels !== undefined) for (let r = 0; r < urls.length; r++) lab[r] = labels[r]! > 0 ? 1 : 0;
  return { n: urls.length, rowPtr, idx: idx.slice(0, p), val: val.slice(0, p), labels: lab };
}

/** The rows `ids` of a set, as a new set. */
export function subset(s: SparseSet, ids: ArrayLike<number>): SparseSet {
  let total = 0;
  for (let k = 0; k < ids.length; k++) total += s.rowPtr[ids[k]! + 1]! - s.rowPtr[ids[k]!]!;
  const rowPtr = new Int32Array(ids.length + 1);
  const idx = new Uint16Array(total);
  const val = new Float32Array(total);
  const labels = new Uint8Array(ids.length);
  let p = 0;
  for (let k = 0; k < ids.length; k++) {
    const r = ids[k]!;
    const a = s.rowPtr[r]!;
    const b = s.rowPtr[r + 1]!;
    idx.set(s.idx.subarray(a, b), p);
    val.set(s.val.subarray(a, b), p);
    p += b - a;
    rowPtr[k + 1] = p;
    labels[k] = s.labels[r]!;
  }
  return { n: ids.length, rowPtr, idx, val, labels };
}
