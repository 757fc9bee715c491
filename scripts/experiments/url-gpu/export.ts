/**
 * Experiment (not part of the product): writes the URL rows exactly as `nml eval url` loads them (scheme
 * stripped, de-duplicated, the opendns-top homepages as training-only extras, the outside test half), each
 * with its popularity feature and the shipped n-gram configuration's leave-one-source-out score (the
 * outside rows: scored by a model trained on every URL-set row), for the GPU study `loso.py` beside it.
 *
 *   node --import tsx scripts/experiments/url-gpu/export.ts [DATASETS_DIR] [OUT_FILE]
 *
 * Defaults: ../shared/datasets and .gpu/urls.jsonl.gz (about 9 MB; 1.5 min on one core). See README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_EXTRA_BENIGN, DEFAULT_POPULARITY, loadPopularity, loadUrlRows } from '../../../src/detect/url/data.js';
import { hostEndBytes, utf8 } from '../../../src/detect/url/features.js';
import { outsideFor } from '../../../src/detect/url/outside.js';
import { scorerFor } from '../../../src/detect/url/scorer.js';
import { leaveOneSourceOut, sourcesOf } from '../../../src/detect/url/split.js';
import { trainOnRows } from '../../../src/detect/url/train.js';

const dataDir = process.argv[2] ?? '../shared/datasets';
const outFile = process.argv[3] ?? '.gpu/urls.jsonl.gz';
const seed = 1;
const rows = loadUrlRows(dataDir, undefined, DEFAULT_EXTRA_BENIGN);
const { test: outsideRows } = outsideFor(rows, dataDir, seed, 'auto', []);
const pop = loadPopularity(dataDir, DEFAULT_POPULARITY)!;
const ngram = new Float32Array(rows.length + outsideRows.length).fill(-1);
for (const s of sourcesOf(rows)) {
  const split = leaveOneSourceOut(rows, s);
  const t = trainOnRows(split.train.map((i) => rows[i]!), 'ngram', { epochs: 4, seed, maxRows: 0, popularity: pop });
  const sc = scorerFor('ngram', t.tensors).scoreBatch(split.test.map((i) => rows[i]!.url));
  split.test.forEach((i, k) => (ngram[i] = sc[k]!));
  console.error(`${s}: ${split.train.length} train, ${split.test.length} test`);
}
{
  const t = trainOnRows(rows, 'ngram', { epochs: 4, seed, maxRows: 0, popularity: pop });
  const sc = scorerFor('ngram', t.tensors).scoreBatch(outsideRows.map((r) => r.url));
  outsideRows.forEach((_, k) => (ngram[rows.length + k] = sc[k]!));
}
const buf = new Uint8Array(1 << 20);
const lines: string[] = [];
[...rows, ...outsideRows].forEach((r, i) => {
  const [b, n] = utf8(r.url, buf);
  const he = hostEndBytes(b, n);
  const m = pop.match(b, he);
  const outside = i >= rows.length;
  lines.push(JSON.stringify({ u: r.url, y: r.label, s: outside ? 'outside' : r.source, h: r.host, x: r.extra === true ? 1 : 0, p: m ? m.feature : -1, he, ng: Math.round(ngram[i]! * 1e5) / 1e5 }));
});
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, gzipSync(lines.join('\n') + '\n'));
console.error(`${rows.length} rows and ${outsideRows.length} outside rows written to ${outFile}`);
