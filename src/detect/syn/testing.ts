/** Test helpers: a tiny model (the shipped layout, wide input included) trained in well under a second on a few synthetic hosts, and loopback SYNs for the live-capture tests. */
import { spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { SynModel } from './model.js';
import { buildSamples, shapeOf } from './samples.js';
import { generateSynthetic } from './synth.js';
import { trainCnn } from './train.js';

let cached: SynModel | null = null;

export function tinyModel(): SynModel {
  if (cached !== null) return cached;
  const hosts = generateSynthetic(7, 1);
  const r = trainCnn(buildSamples('fields+stats+bag', hosts, 3), null, { shape: { ...shapeOf('fields+stats+bag'), h1: 4, h2: 4, dense: 8 }, seed: 7, epochs: 3 });
  cached = new SynModel({ format: 'nml-syn-cnn/1', version: 'syn-test', variant: 'fields+stats+bag', threshold: 0.5, weights: r.weights, trainedAt: '', command: 'tinyModel()', seed: 7 });
  return cached;
}

/** Why live capture cannot be tested here (no tcpdump, not root), or false when it can. */
export function liveCaptureSkip(): string | false {
  if (spawnSync('tcpdump', ['--version']).status !== 0) return 'tcpdump is not installed (apt-get install tcpdump)';
  return process.getuid?.() === 0 ? false : 'capturing needs root (or CAP_NET_RAW)';
}

/** A loopback port nothing listens on: a connection to it is one SYN answered by a reset. */
export function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Opens (and at once closes) `n` connections to a loopback port, one after another; refusals are fine. */
export async function knock(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.on('error', () => resolve());
      c.on('connect', () => {
        c.destroy();
        resolve();
      });
    });
  }
}
