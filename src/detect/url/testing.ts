/** Test helpers: the fixture data set and a model trained on it once per process (in a temp dir). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveUrlModel } from './live-options.js';
import { trainUrlModel } from './train.js';

/** The nearest folder above this file with a package.json (from src/ under tsx and from dist/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const FIXTURE_DATA_DIR = resolve(repoRoot(), 'test/fixtures/url/datasets');

const cached = new Map<string, string>();

/** A model of `kind` (default Bag-of-Bytes) trained on the fixture (seed 7, a few epochs) once per process; removed when the process exits. */
export function trainFixtureModel(kind: 'bob' | 'ngram' = 'bob'): string {
  const hit = cached.get(kind);
  if (hit !== undefined) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-model-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  trainUrlModel({ dataDir: FIXTURE_DATA_DIR, model: kind, epochs: kind === 'bob' ? 8 : 4, seed: 7, outDir: join(dir, kind), command: 'test', maxRows: 0 });
  cached.set(kind, join(dir, kind));
  return join(dir, kind);
}

/** A Zeek ssl.log TSV record in the default column order (as the WRCCDC 2018 logs have it). */
export function zeekSslTsv(serverName: string, version = 'TLSv12'): string {
  return ['1521925200.123456', 'CHhAvVGS1DHFjwGM9', '10.47.1.20', '52344', '151.101.1.69', '443', version, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'secp256r1', serverName, 'F', '-', 'h2', 'T', 'CsxknGIi', '-', '-', '-', '-'].join('\t');
}

/**
 * A live URL model (threshold 0.5) that scores every URL `score`: `scored` keeps the URLs it is asked to
 * score in batches, in order; `asked` those and the ones it is asked to explain.
 */
export function fixedScore(score: number): LiveUrlModel & { scored: string[]; asked: string[] } {
  const scored: string[] = [];
  const asked: string[] = [];
  const logit = Math.round(Math.log(score / (1 - score)) * 10) / 10;
  return {
    scored,
    asked,
    name: 'url',
    modelVersion: 'test',
    threshold: 0.5,
    scoreFast: async (u) => {
      scored.push(...u);
      asked.push(...u);
      return new Float32Array(u.length).fill(score);
    },
    explainOne: (u) => {
      asked.push(u);
      return { score, detail: { logit, weights: [], host: [0, 0], path: [0, 0], top: [] } };
    },
  };
}

/** A live URL model that scores every URL 0.99 and keeps the URLs it is asked to score, in order. */
export const alwaysFlagged = (): LiveUrlModel & { scored: string[] } => fixedScore(0.99);
