/** The port-rarity input: the prior of the training benign hosts' ports, its levels, its tokens, and a model that keeps it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portPrior, rarityLevel, windowBag, type Bag } from './bag.js';
import { hostWindows } from './image.js';
import { SynBatchScorer, SynModel, priorFile } from './model.js';
import { buildSamples, hostInputs, shapeOf, withRarity } from './samples.js';
import { generateSynthetic } from './synth.js';
import { trainCnn } from './train.js';
import type { SynPacket } from './types.js';

const syn = (dport: number, t = 1_000_000): SynPacket => ({
  t, v: 4, src: '198.51.100.7', dst: '203.0.113.9', src4: 0xc6336407, dst4: 0xcb007109, sport: 40000, dport,
  ttl: 64, ipid: 1234, win: 64240, seq: 7, mss: 1460, ws: 7, sack: true, ts: true, opts: 'MSTNW', len: 60,
});
const host = (label: 0 | 1, ports: number[]) => ({ label, syns: ports.map((p, i) => syn(p, 1_000_000 + i * 1000)) });

test('the prior counts each benign host once per port and ignores malicious hosts', () => {
  // 20 benign hosts: all use 443, two use 8443 (one of them twice), one uses 22; a scanner uses 1–100
  const hosts = [...Array.from({ length: 20 }, (_, i) => host(0, i < 2 ? [443, 8443, 8443] : i === 2 ? [443, 22] : [443])), host(1, Array.from({ length: 100 }, (_, i) => i + 1))];
  const p = portPrior(hosts);
  assert.equal(p.hosts, 20);
  assert.equal(p.counts.get(443), 20);
  assert.equal(p.counts.get(8443), 2);
  assert.equal(p.counts.get(22), 1);
  assert.equal(p.counts.get(1), undefined, 'the scanner is not benign');
  const at = (port: number, own = false): number => rarityLevel({ prior: p, own }, port);
  assert.equal(at(443), 0); // 100%
  assert.equal(at(8443), 0); // 2 of 20 = 10%
  assert.equal(at(22), 1); // 5%
  assert.equal(at(1), 4, 'no benign host used it');
  // a training host that is the only one to use a port must not learn that port as common
  assert.equal(at(22, true), 4);
  assert.equal(at(8443, true), 1); // 1 of the 19 others
});

test("the bag names a SYN's port rarity, as a share of the window, only where a prior is given", () => {
  const p = portPrior([...Array.from({ length: 10 }, () => host(0, [443])), host(0, [80])]);
  const syns = [syn(443), syn(443), syn(443), syn(5554, 1_004_000)];
  const ctx = hostWindows(syns)[0]!.ctx;
  const names = (b: Bag): Map<string, number> => {
    const m = new Map<string, number>();
    b.names!.forEach((ns, i) => ns.forEach((n) => m.set(n, b.val[i]!)));
    return m;
  };
  const with_ = names(windowBag(syns, undefined, ctx, true, { prior: p, own: false }));
  assert.equal(with_.get('dport used by ≥10% of the training benign hosts'), 0.75);
  assert.equal(with_.get('dport used by none of the training benign hosts'), 0.25);
  const without = names(windowBag(syns, undefined, ctx, true));
  assert.ok(![...without.keys()].some((k) => k.startsWith('dport used by')));
});

test('rarity tokens added to cached inputs equal the inputs computed with the prior, host by host', () => {
  const hosts = generateSynthetic(3, 1);
  const prior = portPrior(hosts);
  for (const h of hosts) {
    const r = { prior, own: h.label === 0 };
    const a = withRarity('fields+stats+bag', hostInputs('fields+stats+bag', h), r);
    const b = hostInputs('fields+stats+bag', h, 8, r);
    assert.equal(a.inputs.length, b.inputs.length);
    a.inputs.forEach((x, i) => {
      const y = b.inputs[i]!;
      assert.deepEqual([...x.b.idx], [...y.b.idx], `${h.tool} window ${i}`);
      x.b.val.forEach((v, j) => assert.ok(Math.abs(v - y.b.val[j]!) < 1e-6, `${h.tool} window ${i}`));
    });
  }
});

test('a model keeps its prior through its file, scores with it alike in TypeScript and onnxruntime, and explains with it', async () => {
  const hosts = generateSynthetic(7, 1);
  const prior = portPrior(hosts);
  const r = trainCnn(buildSamples('fields+stats+bag', hosts, 3, prior), null, { shape: { ...shapeOf('fields+stats+bag'), h1: 4, h2: 4, dense: 8 }, seed: 7, epochs: 2 });
  const file = { format: 'nml-syn-cnn/1' as const, version: 'syn-test-prior', variant: 'fields+stats+bag' as const, threshold: 0.5, weights: r.weights, trainedAt: '', command: '', seed: 7, portPrior: priorFile(prior) };
  const model = new SynModel(JSON.parse(JSON.stringify(file)));
  assert.equal(model.rarity?.prior.hosts, prior.hosts);
  assert.equal(model.rarity?.own, false);
  const plain = new SynModel({ ...file, portPrior: undefined });
  assert.equal(plain.rarity, null);
  const scan = hosts.find((h) => h.tool === 'nmap-sS')!;
  const w = hostWindows(scan.syns)[0]!;
  // the wide weights of the rarity buckets were trained: the prior changes the score
  assert.notEqual(model.windowScore(scan.syns, w), plain.windowScore(scan.syns, w));
  const scorer = await SynBatchScorer.create(model);
  try {
    const y = await scorer.scoreWindows([{ syns: scan.syns, w }]);
    assert.ok(Math.abs(y[0]! - model.windowScore(scan.syns, w)) < 1e-5);
  } finally {
    await scorer.close();
  }
  assert.ok(model.explain(scan.syns, w).tokens.some((t) => t.name.startsWith('dport used by')));
  assert.throws(() => new SynModel({ ...file, portPrior: { hosts: 3, ports: [1, 2], counts: [1] } }), /port prior is malformed/);
});
