/** The batched scoring path: dense features into an onnxruntime session (one thread), falling back to the SIMD forward pass. */
import { FEATURE_DIM, SparseScratch, denseFeatures } from './features.js';
import type { BobScorer } from './bob.js';
import { bobOnnxSession } from './onnx.js';

type Session = Awaited<ReturnType<typeof bobOnnxSession>>;

/** Rows per onnxruntime call. */
const CHUNK = 1024;

export class FastBob {
  private session: Promise<Session | null> | null = null;
  private readonly sc = new SparseScratch();
  /** which engine scored the last batch */
  engine: 'onnxruntime' | 'simd' = 'onnxruntime';

  constructor(private readonly bob: BobScorer) {}

  private open(): Promise<Session | null> {
    this.session ??= bobOnnxSession(this.bob.weights, 1).catch(() => null);
    return this.session;
  }

  async score(urls: readonly string[]): Promise<Float32Array> {
    const out = new Float32Array(urls.length);
    if (urls.length === 0) return out;
    const s = await this.open();
    if (s === null) {
      this.engine = 'simd';
      return this.bob.scoreBatch(urls);
    }
    this.engine = 'onnxruntime';
    // each call its own input: onnxruntime reads it after the await, when another call may be filling a shared one
    // (the sparse scratch is shared safely: it is only used between awaits)
    const x = new Float32Array(Math.min(CHUNK, urls.length) * FEATURE_DIM);
    for (let i = 0; i < urls.length; i += CHUNK) {
      const n = Math.min(CHUNK, urls.length - i);
      for (let k = 0; k < n; k++) denseFeatures(this.bob.prep(urls[i + k]!), x, k * FEATURE_DIM, this.sc);
      out.set(await s.run(x, n), i);
    }
    return out;
  }

  async close(): Promise<void> {
    const s = await this.session;
    this.session = null;
    await s?.close();
  }
}
