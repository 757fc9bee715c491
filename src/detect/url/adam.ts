/** Adam over a list of (parameter, gradient-sum) pairs; a step clears the gradients. */

export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  constructor(
    private readonly pairs: [Float32Array, Float32Array][],
    private readonly lr: number,
  ) {
    this.m = pairs.map(([p]) => new Float32Array(p.length));
    this.v = pairs.map(([p]) => new Float32Array(p.length));
  }

  /** one step from the gradient sums scaled by `scale` (1 / batch size) */
  step(scale: number): void {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const lrT = (this.lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    this.pairs.forEach(([p, g], k) => {
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]! * scale;
        const mi = (m[i] = b1 * m[i]! + (1 - b1) * gi);
        const vi = (v[i] = b2 * v[i]! + (1 - b2) * gi * gi);
        p[i]! -= (lrT * mi) / (Math.sqrt(vi) + 1e-7);
      }
      g.fill(0);
    });
  }
}
