/** The SYN detector: the detector contract, the CNN's gradients, images, baselines, metrics and the synthetic tools' fingerprints. */
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { detectorContract } from '../contract.js';
import { isScored } from '../detector.js';
import { fingerprint, baselineScores } from './baselines.js';
import { BAG_SIZE, windowBag } from './bag.js';
import { Cnn, initWeights } from './cnn.js';
import { SynDetector, groupByHost, type SynHostInput } from './detector.js';
import { FIELD_COLUMNS, FIELD_GROUPS, FIELDS, fieldImage, hostWindows, ROWS, STATS } from './image.js';
import { tprAtFpr } from './metrics.js';
import { rocAuc } from '../../core/index.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';
import type { SynPacket } from './types.js';

const synth = generateSynthetic(11, 1);
const byTool = (t: string): SynHostInput => {
  const h = synth.find((x) => x.tool === t)!;
  return { ip: h.ip, syns: h.syns.slice(0, 200) };
};
const good = ['benign-browsing', 'zmap', 'nmap-sT', 'spoofed-flood'].map(byTool);
const bad = [
  { ip: '203.0.113.1', syns: [] },
  { ip: '', syns: good[0]!.syns },
  { ip: '203.0.113.2', syns: [{ ...good[0]!.syns[0]!, t: Number.NaN }] },
  { ip: '203.0.113.3', syns: [null as unknown as SynPacket] },
  { ip: '203.0.113.4', syns: 'nope' as unknown as SynPacket[] },
];

detectorContract('syn', async () => new SynDetector(tinyModel()), { good, bad, subjectOf: (h) => h.ip });

test('explanations name rows, fields and statistics of the deciding window', async () => {
  const [r] = await new SynDetector(tinyModel()).score([byTool('masscan')]);
  assert.ok(r !== undefined && isScored(r));
  const d = r.explanation.detail as { rows: number[]; fields: { name: string }[]; stats: { name: string }[]; tokens: { name: string; weight: number }[]; window: { from: number; to: number } };
  assert.equal(d.rows.length, ROWS);
  // masscan's tell is among the wide input's tokens, each named and weighted
  assert.ok(d.tokens.length > 0 && d.tokens.length <= 16);
  assert.ok(d.tokens.some((t) => t.name.includes("(masscan's)")), JSON.stringify(d.tokens));
  assert.equal(d.fields.length, FIELDS);
  assert.equal(d.stats.length, STATS);
  assert.ok(d.window.to - d.window.from <= ROWS);
  // what raised and what lowered the score, each named as such (it said "weighed most:" of both alike)
  assert.match(r.explanation.summary, /; (raised|lowered) the score most: \w/);
  assert.doesNotMatch(r.explanation.summary, /weighed most/);
  // the windows as they are: a host of 40 SYNs has one full window and one of 8, not "2 windows of 32 SYNs"
  const h = synth.find((x) => x.tool === 'masscan' && x.syns.length >= 40)!;
  const [forty] = await new SynDetector(tinyModel()).score([{ ip: h.ip, syns: h.syns.slice(0, 40) }]);
  assert.ok(forty !== undefined && isScored(forty));
  assert.match(forty.explanation.summary, /; 2 windows \(1 of 32 SYNs, 1 of 8\), mean: /);
});

test('the summary counts in the singular where there is one ("1 ports, 1 destinations")', async () => {
  const s = byTool('benign-browsing').syns[0]!;
  const syns = [0, 1, 2].map((i) => ({ ...s, t: s.t + i * 1e5, dport: 443, dst: '198.51.100.7' }));
  const [one] = await new SynDetector(tinyModel()).score([{ ip: s.src, syns: syns.slice(0, 1) }, { ip: s.src, syns }]);
  assert.ok(one !== undefined && isScored(one));
  assert.match(one.explanation.summary, /^1 SYN, 1 port, 1 destination; /);
  const [three] = await new SynDetector(tinyModel()).score([{ ip: s.src, syns }]);
  assert.ok(three !== undefined && isScored(three));
  assert.match(three.explanation.summary, /^3 SYNs, 1 port, 1 destination; /);
});

test('CNN gradients match finite differences, wide input included', () => {
  const shape = { rows: ROWS, cols: FIELDS, stats: STATS, conv: true, h1: 3, h2: 3, dense: 4, wide: BAG_SIZE };
  const net = new Cnn(initWeights(shape, 3));
  const h = byTool('nmap-sS');
  const w = hostWindows(h.syns)[0]!;
  const img = fieldImage(h.syns.slice(w.from, w.to), undefined, w.ctx);
  const bag = windowBag(h.syns.slice(w.from, w.to), undefined, w.ctx);
  // the wide weights start at 0; give the bag's buckets values so that they count
  bag.idx.forEach((k, i) => (net.P[net.L.ww + k] = 0.1 * (i % 5) - 0.2));
  const tr = net.forward(img.pixels, img.stats, true, bag);
  const g = new Float64Array(net.P.length);
  net.backward(img.pixels, tr, 1, g, false, bag); // d logit / d params
  const logit = (): number => {
    const p = net.forward(img.pixels, img.stats, false, bag).p;
    return Math.log(p / (1 - p));
  };
  const params = [...Array.from({ length: Math.ceil(net.L.ww / 7) }, (_, i) => i * 7), ...Array.from(bag.idx, (k) => net.L.ww + k)];
  let checked = 0;
  for (const i of params) {
    const old = net.P[i]!;
    net.P[i] = old + 1e-5;
    const up = logit();
    net.P[i] = old - 1e-5;
    const down = logit();
    net.P[i] = old;
    const num = (up - down) / 2e-5;
    assert.ok(Math.abs(num - g[i]!) < 1e-4 + 1e-3 * Math.abs(num), `param ${i}: numeric ${num} vs ${g[i]}`);
    checked++;
  }
  assert.ok(checked > 40 + bag.idx.length);
  // a bucket the bag does not hold gets no gradient
  const absent = Array.from({ length: BAG_SIZE }, (_, k) => k).find((k) => !bag.idx.includes(k))!;
  assert.equal(g[net.L.ww + absent], 0);
});

test('fingerprint rules match the tools they name, not benign stacks', () => {
  const tools = new Map<string, string | null>();
  for (const h of synth) tools.set(h.tool, fingerprint(h.syns[0]!));
  assert.equal(tools.get('zmap'), 'zmap');
  assert.equal(tools.get('masscan'), 'masscan');
  assert.equal(tools.get('mirai'), 'mirai');
  assert.equal(tools.get('nmap-sS'), 'nmap-sS');
  for (const h of synth.filter((x) => x.label === 0)) assert.ok(baselineScores(h.syns).rules < 0.01, h.tool);
});

test('images stay in [0, 1] and rows after the last packet stay empty', () => {
  const h = { syns: synth[0]!.syns.slice(0, 5) };
  const w = hostWindows(h.syns)[0]!;
  const img = fieldImage(h.syns, undefined, w.ctx);
  for (const v of [...img.pixels, ...img.stats]) assert.ok(v >= 0 && v <= 1.5 && Number.isFinite(v));
  assert.equal(img.pixels[5 * FIELDS], 0);
  assert.equal(img.pixels[4 * FIELDS], 1);
});

test('the destination port is in the image bit by bit, so 445 and 443 differ (not only as dport/65535)', () => {
  const one = (dport: number): Float32Array => {
    const syns = [{ ...synth[0]!.syns[0]!, dport }];
    return fieldImage(syns, undefined, hostWindows(syns)[0]!.ctx).pixels;
  };
  const first = FIELD_COLUMNS.indexOf('dport bit 15');
  const bits = (px: Float32Array): string => Array.from(px.subarray(first, first + 16), String).join('');
  assert.equal(bits(one(445)), (445).toString(2).padStart(16, '0'));
  assert.equal(bits(one(443)), (443).toString(2).padStart(16, '0'));
  // the UI labels the 16 bits as one group; the groups cover every column once, in order
  assert.deepEqual(FIELD_GROUPS.find((g) => g.name === 'dport bits'), { name: 'dport bits', from: first, to: first + 15 });
  assert.equal(FIELD_GROUPS[0]!.from, 0);
  assert.equal(FIELD_GROUPS.at(-1)!.to, FIELDS - 1);
  FIELD_GROUPS.slice(1).forEach((g, i) => assert.equal(g.from, FIELD_GROUPS[i]!.to + 1));
});

test('metrics: AUC with ties, detection at 1% FPR', () => {
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(rocAuc([0.5, 0.5], [0, 1]), 0.5);
  assert.equal(rocAuc([1, 2], [1, 1]), null);
  const neg = Array.from({ length: 100 }, (_, i) => i / 100);
  assert.equal(tprAtFpr([...neg, 0.995, 0.5], [...neg.map(() => 0), 1, 1]), 0.5);
});

test('groupByHost keeps first-seen order', () => {
  const s = synth.flatMap((h) => h.syns.slice(0, 2));
  assert.deepEqual(groupByHost(s).map((h) => h.ip), [...new Set(s.map((x) => x.src))]);
});

test('onnxruntime batch scores equal the TypeScript CNN', async () => {
  const { SynBatchScorer } = await import('./model.js');
  const m = tinyModel();
  const scorer = await SynBatchScorer.create(m);
  try {
    const hs = synth.slice(0, 12).map((h) => h.syns.slice(0, 150));
    const fast = await scorer.scoreHosts(hs, 7);
    hs.forEach((s, i) => assert.ok(Math.abs(fast[i]! - m.scoreHost(s).score) < 1e-4, `host ${i}: ${fast[i]} vs ${m.scoreHost(s).score}`));
  } finally {
    await scorer.close();
  }
});

test('a model file whose weights do not fit its layout is refused with MODEL_INVALID', async () => {
  const { SynModel } = await import('./model.js');
  const file = tinyModel().file;
  // the wide input's weights missing (an older file relabelled), or a layout name no version knows
  const noWide = { ...file, weights: { ...file.weights, shape: { ...file.weights.shape, wide: 0 } } };
  assert.throws(() => new SynModel(noWide), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID' && /another image layout/.test(e.message));
  assert.throws(() => new SynModel({ ...file, variant: 'pixels' as never }), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID');
  // from a file: every malformed shape is MODEL_INVALID naming the file, never a TypeError
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-model-'));
  try {
    const { weights: _w, ...noWeights } = file;
    for (const [i, body] of ['null', '[1]', '{}', JSON.stringify(noWeights), JSON.stringify({ ...file, weights: { shape: null } })].entries()) {
      const path = join(dir, `m${i}.json`);
      writeFileSync(path, body);
      assert.throws(() => SynModel.load(path), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID' && e.message.startsWith(`syn model ${path} `) && /pass another --model$/.test(e.message), body);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
