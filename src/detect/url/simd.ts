/** Float32 vector kernels as a hand-assembled WebAssembly SIMD module, with a plain JavaScript fallback. */
/*
 * Five float32 vector kernels as a hand-assembled WebAssembly SIMD module (no toolchain needed):
 * axpy (y += a·x), dot (Σ x·y), axpyDot (g += v·d, returning Σ w·d), reluAdd (y += max(x, 0)) and
 * maskAdd (y += d where m > 0). Operands live in one memory.
 * Lengths must be multiples of 4; pointers are byte offsets aligned to 16.
 */

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (d: { initial: number }) => WasmMemory;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const BR_IF = 0x0d;
const BR = 0x0c;
const END = 0x0b;
const F32_ADD = 0x92;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00, 0x04, 0x00];
const V128_STORE = [SIMD, 0x0b, 0x04, 0x00];
const F32X4_SPLAT = [SIMD, 0x13];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];
const F32X4_MAX = [SIMD, 0xe9, 0x01];
const F32X4_GT = [SIMD, 0x44];
const V128_AND = [SIMD, 0x4e];
const F32_CONST0 = [0x43, 0, 0, 0, 0];
const extract = (lane: number): number[] => [SIMD, 0x1f, lane];
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const get = (i: number): number[] => [LOCAL_GET, i];
const set = (i: number): number[] => [LOCAL_SET, i];
const bump = (i: number): number[] => [...get(i), I32_CONST, 16, I32_ADD, ...set(i)];
/** end = p + n*4 */
const endOf = (p: number, n: number, e: number): number[] => [...get(n), I32_CONST, 2, I32_SHL, ...get(p), I32_ADD, ...set(e)];
/** loop while p < end */
const loop = (p: number, e: number, body: number[]): number[] => [BLOCK, VOID, LOOP, VOID, ...get(p), ...get(e), I32_GE_U, BR_IF, 1, ...body, BR, 0, END, END];
const hsum = (acc: number): number[] => [...get(acc), ...extract(0), ...get(acc), ...extract(1), F32_ADD, ...get(acc), ...extract(2), F32_ADD, ...get(acc), ...extract(3), F32_ADD];

// axpy(y, x, a, n): params 0 y, 1 x, 2 a, 3 n; locals 4 end (i32), 5 va (v128)
const axpy = {
  params: [I32, I32, F32, I32],
  results: [] as number[],
  locals: [[1, I32], [1, V128]],
  code: [...get(2), ...F32X4_SPLAT, ...set(5), ...endOf(0, 3, 4), ...loop(0, 4, [...get(0), ...get(0), ...V128_LOAD, ...get(1), ...V128_LOAD, ...get(5), ...F32X4_MUL, ...F32X4_ADD, ...V128_STORE, ...bump(0), ...bump(1)])],
};
// dot(x, y, n) -> f32: params 0 x, 1 y, 2 n; locals 3 end, 4 acc
const dot = {
  params: [I32, I32, I32],
  results: [F32],
  locals: [[1, I32], [1, V128]],
  code: [...endOf(0, 2, 3), ...loop(0, 3, [...get(4), ...get(0), ...V128_LOAD, ...get(1), ...V128_LOAD, ...F32X4_MUL, ...F32X4_ADD, ...set(4), ...bump(0), ...bump(1)]), ...hsum(4)],
};
// axpyDot(g, w, d, v, n) -> f32: g += v*d; return Σ w*d. params 0 g, 1 w, 2 d, 3 v, 4 n; locals 5 end, 6 vv, 7 acc, 8 dd
const axpyDot = {
  params: [I32, I32, I32, F32, I32],
  results: [F32],
  locals: [[1, I32], [3, V128]],
  code: [
    ...get(3), ...F32X4_SPLAT, ...set(6), ...endOf(0, 4, 5),
    ...loop(0, 5, [
      ...get(2), ...V128_LOAD, ...set(8),
      ...get(0), ...get(0), ...V128_LOAD, ...get(8), ...get(6), ...F32X4_MUL, ...F32X4_ADD, ...V128_STORE,
      ...get(7), ...get(1), ...V128_LOAD, ...get(8), ...F32X4_MUL, ...F32X4_ADD, ...set(7),
      ...bump(0), ...bump(1), ...bump(2),
    ]),
    ...hsum(7),
  ],
};

// reluAdd(y, x, n): y += max(x, 0). params 0 y, 1 x, 2 n; locals 3 end, 4 zero
const reluAdd = {
  params: [I32, I32, I32],
  results: [] as number[],
  locals: [[1, I32], [1, V128]],
  code: [...F32_CONST0, ...F32X4_SPLAT, ...set(4), ...endOf(0, 2, 3), ...loop(0, 3, [...get(0), ...get(0), ...V128_LOAD, ...get(1), ...V128_LOAD, ...get(4), ...F32X4_MAX, ...F32X4_ADD, ...V128_STORE, ...bump(0), ...bump(1)])],
};
// maskAdd(y, m, d, n): y += (m > 0 ? d : 0). params 0 y, 1 m, 2 d, 3 n; locals 4 end, 5 zero
const maskAdd = {
  params: [I32, I32, I32, I32],
  results: [] as number[],
  locals: [[1, I32], [1, V128]],
  code: [
    ...F32_CONST0, ...F32X4_SPLAT, ...set(5), ...endOf(0, 3, 4),
    ...loop(0, 4, [...get(0), ...get(0), ...V128_LOAD, ...get(2), ...V128_LOAD, ...get(1), ...V128_LOAD, ...get(5), ...F32X4_GT, ...V128_AND, ...F32X4_ADD, ...V128_STORE, ...bump(0), ...bump(1), ...bump(2)]),
  ],
};

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const name = (s: string): number[] => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array {
  const fns = [axpy, dot, axpyDot, reluAdd, maskAdd];
  const types = section(1, vec(fns.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))])));
  const imports = section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec(fns.map((_, i) => [i])));
  const exports = section(7, vec(['axpy', 'dot', 'axpyDot', 'reluAdd', 'maskAdd'].map((n, i) => [...name(n), 0x00, i])));
  const bodies = fns.map((f) => {
    const body = [...vec(f.locals.map(([c, t]) => [c!, t!])), ...f.code, END];
    return [...leb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

export interface SimdKernels {
  memory: WasmMemory;
  axpy(y: number, x: number, a: number, n: number): void;
  dot(x: number, y: number, n: number): number;
  axpyDot(g: number, w: number, d: number, v: number, n: number): number;
  reluAdd(y: number, x: number, n: number): void;
  maskAdd(y: number, m: number, d: number, n: number): void;
}

let compiled: object | null = null;

/** Kernels over a fresh memory of `bytes` (rounded up to 64 KiB pages); null where WebAssembly SIMD is unavailable. */
export function simdKernels(bytes: number): SimdKernels | null {
  try {
    compiled ??= new WA.Module(moduleBytes());
    const memory = new WA.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
    const inst = new WA.Instance(compiled, { e: { m: memory } });
    const ex = inst.exports as unknown as Omit<SimdKernels, 'memory'>;
    return { memory, axpy: ex.axpy, dot: ex.dot, axpyDot: ex.axpyDot, reluAdd: ex.reluAdd, maskAdd: ex.maskAdd };
  } catch {
    return null;
  }
}

/** Hands out 16-byte-aligned Float32Array views of a memory, front to back. */
export class Arena {
  private next = 16;
  constructor(private readonly memory: WasmMemory) {}
  f32(n: number): Float32Array {
    const a = new Float32Array(this.memory.buffer, this.next, n);
    this.next += Math.ceil((n * 4) / 16) * 16;
    return a;
  }
}

/** The same kernels in plain JavaScript, for a runtime without WebAssembly SIMD. */
export function jsKernels(bytes: number): SimdKernels {
  const memory = new WA.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const f = (): Float32Array => new Float32Array(memory.buffer);
  return {
    memory,
    axpy(y, x, a, n) {
      const m = f();
      const yi = y >> 2;
      const xi = x >> 2;
      for (let i = 0; i < n; i++) m[yi + i]! += a * m[xi + i]!;
    },
    dot(x, y, n) {
      const m = f();
      let s = 0;
      for (let i = 0; i < n; i++) s += m[(x >> 2) + i]! * m[(y >> 2) + i]!;
      return s;
    },
    axpyDot(g, w, d, v, n) {
      const m = f();
      let s = 0;
      for (let i = 0; i < n; i++) {
        const dd = m[(d >> 2) + i]!;
        m[(g >> 2) + i]! += v * dd;
        s += m[(w >> 2) + i]! * dd;
      }
      return s;
    },
    reluAdd(y, x, n) {
      const m = f();
      for (let i = 0; i < n; i++) m[(y >> 2) + i]! += Math.max(m[(x >> 2) + i]!, 0);
    },
    maskAdd(y, mk, d, n) {
      const m = f();
      for (let i = 0; i < n; i++) if (m[(mk >> 2) + i]! > 0) m[(y >> 2) + i]! += m[(d >> 2) + i]!;
    },
  };
}

/** SIMD kernels where available, else the JavaScript ones. */
export function kernels(bytes: number): SimdKernels {
  return simdKernels(bytes) ?? jsKernels(bytes);
}
