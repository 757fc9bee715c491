import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident } from './incident.js';
import { textAttrs } from './incident.js';
import { BM25_ONLY, FEATURES, SimilarityIndex } from './similar.js';
import { coordinateAscent, logisticRegression, ndcgAt, precisionAt } from './train.js';
import { evaluateCorpus } from './evaluate.js';
import { contentWords } from './first-action.js';

function inc(id: string, text: string, label: string, attrs: Incident['attrs'] = {}): Incident {
  return { id, source: 'test', title: text.slice(0, 40), text, time: null, labels: [label], attrs: { ...textAttrs(text), ...attrs }, firstAction: null, countermeasure: null, steps: [], outcome: null };
}

test('metrics: precision@k and nDCG@k', () => {
  assert.equal(precisionAt([true, false, true, false, false], 5), 0.4);
  assert.equal(ndcgAt([true, true], 10, 2), 1);
  assert.ok(Math.abs(ndcgAt([false, true], 10, 1) - 1 / Math.log2(3)) < 1e-12);
});

test('each result says why: shared terms and matched fields', () => {
  const idx = new SimilarityIndex([inc('a', 'ssh brute force against web-01', 'bf', { port: ['22'] }), inc('b', 'phishing mail to staff', 'ph')]);
  const [r] = idx.search(inc('q', 'brute force on ssh', 'bf', { port: ['22'] }), 1);
  assert.equal(r?.incident.id, 'a');
  assert.deepEqual(r?.why.sharedTerms.sort(), ['brute', 'force', 'ssh']);
  assert.ok(r?.why.matchedFields.some((m) => m.field === 'port' && m.values[0] === '22'));
});

test('a field label and an empty value are no shared word: "Date:" and "dkim=none" do not make two reports similar', () => {
  const past = inc('a', 'Date: 2026-10-11 09:05\nSource: 162.142.125.9\nSYN probes to 1,000 ports.\nRemediation: none', 'scan');
  const idx = new SimilarityIndex([past, inc('b', 'ransomware note on the file server', 'ransom')]);
  const mail = 'Date: Sat, 21 Nov 2026 03:14\nAuthentication-Results: mx.example.co.jp; dkim=none\nransomware on the file server WS-0231';
  const rs = idx.search(inc('q', mail, 'ransom'), 5);
  assert.deepEqual(rs.map((r) => r.incident.id), ['b'], 'the scan shares only a label and "none"');
  assert.deepEqual(rs[0]?.why.templateTerms, []);
  // the same words in a sentence are the text's own: the past report's `Remediation:` is a label, this one's a word
  const [prose] = idx.search(inc('q2', 'no remediation was needed: none of the ports answered', 'scan'), 1);
  assert.equal(prose?.incident.id, 'a');
  assert.deepEqual(prose?.why.sharedTerms, ['ports']);
  assert.deepEqual(prose?.why.templateTerms, []);
  const [sentence] = new SimilarityIndex([inc('c', 'none of the ports answered; remediation followed', 'scan')]).search(inc('q3', 'remediation was a rule for the ports', 'scan'), 1);
  assert.deepEqual([sentence?.why.sharedTerms, sentence?.why.templateTerms], [['ports'], ['remediation']]);
});

test('an empty value after a label is no word of the first action\'s count either: "Remediation: none", "dkim=none", "対応: なし"', () => {
  const past = inc('a', 'SYN probes to 1,000 ports.\nRemediation: none\nContainment: N/A\nTicket owner: null\n暫定対応：なし\nAuthentication-Results: mx.example; dkim=none', 'scan');
  const words = contentWords(past);
  // until 2026-12 search left these out (searchTokens) but the first action's closeness still counted `none`
  for (const w of ['none', 'null', 'なし']) assert.ok(!words.has(w), `${w} in ${[...words].join(' ')}`);
  assert.ok(words.has('probes') && words.has('ports'));
  assert.ok(words.has('ticket'), 'a label that is not all template words is the text\'s own, as search reads it');
  // in a sentence the word is the text's own
  assert.ok(contentWords(inc('b', 'none of the ports answered', 'scan')).has('none'));
});

test('a severity grade is no shared word, neither content nor template: "Severity: high" does not make two reports similar', () => {
  const past = inc('a', 'Event Summary: SSH brute force on srv-bastion-01\nSeverity: high\nVendor Priority: critical\n重要度: 高\nfailed logins for root', 'bf');
  const idx = new SimilarityIndex([past, inc('b', 'Severity: critical\nransomware note on the file server', 'ransom')]);
  const rs = idx.search(inc('q', 'Event Summary: SSH brute force on srv-web-02\nSeverity: high\nPriority: critical\n重要度: 高\nmany failed logins', 'bf'), 5);
  // until 2026-12 "high" was listed among the report-template words and the ransomware report, sharing only "critical", was listed
  assert.deepEqual(rs.map((r) => r.incident.id), ['a']);
  assert.deepEqual(rs[0]?.why.templateTerms, []);
  assert.ok(!rs[0]?.why.sharedTerms.some((t) => ['high', 'critical', '高'].includes(t)), JSON.stringify(rs[0]?.why.sharedTerms));
  assert.ok(!contentWords(past).has('high') && !contentWords(past).has('critical'), 'the first action counts the words the list shows');
  // in a sentence the word is the text's own
  const [prose] = new SimilarityIndex([inc('c', 'a critical flaw in the VPN gateway', 'vuln')]).search(inc('q2', 'critical bug found in a VPN appliance', 'vuln'), 1);
  assert.deepEqual(prose?.why.sharedTerms.sort(), ['critical', 'vpn']);
  assert.deepEqual(prose?.why.templateTerms, []);
});

/**
 * A corpus where the words mislead: each label's texts share the words of another label, and only
 * the actor field tells the labels apart. The learned weights must find the actor and beat BM25.
 */
function misleading(n: number): Incident[] {
  const xs: Incident[] = [];
  const words = ['alpha beta', 'gamma delta', 'epsilon zeta'];
  for (let i = 0; i < n; i++) {
    const label = `L${i % 3}`;
    const text = `${words[Math.floor(i / 3) % 3]} event number${i} ${i % 2 === 0 ? 'extra words' : 'other words'}`;
    xs.push(inc(`x${i}`, text, label, { actor: [`actor-${i % 3}`] }));
  }
  return xs;
}

test('learned weights beat plain BM25 where the structured fields carry the signal', () => {
  const r = evaluateCorpus('synthetic', misleading(300), 7, 60);
  assert.ok(r.hybrid.p5 > r.bm25.p5, `hybrid ${r.hybrid.p5} vs bm25 ${r.bm25.p5}`);
  assert.ok((r.model.weights[FEATURES.indexOf('same_actor')] ?? 0) > 0, 'the actor weight is positive');
  assert.ok((r.model.weights[0] ?? -1) >= 0, 'the bm25 weight is not negative');
});

test('logistic regression and coordinate ascent are deterministic', () => {
  const idx = new SimilarityIndex(misleading(60), BM25_ONLY);
  const qs = ['x0', 'x1', 'x2'].map((id) => {
    const q = idx.incident(idx.docOf(id));
    const { cands } = idx.candidates({ ...q, labels: [] });
    return { cands, rel: cands.map((c) => idx.incident(c.doc).labels[0] === q.labels[0]), relevantTotal: 19 };
  });
  const a = coordinateAscent(qs, logisticRegression(qs, FEATURES.length));
  const b = coordinateAscent(qs, logisticRegression(qs, FEATURES.length));
  assert.deepEqual(a, b);
});

test('given a loader, the index keeps what ranking reads and loads only the results it returns', () => {
  const stored = new Map<string, Incident>();
  for (let i = 0; i < 30; i++) {
    const x = { ...inc(`r${i}`, `ransomware encrypted the file server ${i % 3 === 0 ? 'backup' : 'share'}`, 'ransomware', { port: ['445'] }), record: { format: 'text' as const, parts: { body: 'x'.repeat(100_000) }, fields: {}, assets: [], times: [], steps: [], extra: {} } };
    stored.set(x.id, x);
  }
  const loaded: string[] = [];
  const idx = new SimilarityIndex(stored.values(), BM25_ONLY, (id) => {
    loaded.push(id);
    return stored.get(id) ?? null;
  });
  for (let d = 0; d < idx.size; d++) assert.deepEqual(Object.keys(idx.summary(d)).sort(), ['attrs', 'id', 'labels', 'source', 'time', 'title']);
  const rs = idx.search(inc('q', 'ransomware on the file server backup', 'ransomware', { port: ['445'] }), 3);
  assert.equal(rs.length, 3);
  assert.deepEqual(loaded, rs.map((r) => r.incident.id));
  assert.equal(rs[0]?.incident.record?.parts.body?.length, 100_000, 'a result is the whole incident');
  // without a loader (training, evaluation) the incidents are kept as given
  const plain = new SimilarityIndex(stored.values());
  assert.equal(plain.incident(0), stored.get('r0'));
});

test("the nearest incidents' labels vote by how alike their words are: a label many weak matches share does not outrank a far closer match", async () => {
  const { IncidentBase } = await import('./incident-base.js');
  const { Assistant } = await import('./assistant.js');
  const { seedDemoIncidents } = await import('./demo.js');
  const { loadRankModel } = await import('./model-file.js');
  const base = new IncidentBase(':memory:');
  try {
    seedDemoIncidents(base);
    // the shipped weights: the vote weighs most; counted one a match, the three brute-force incidents that
    // share only "source", "port" and "host" with a SYN-scan report ranked above the port scan
    const a = new Assistant({ base, model: loadRankModel() });
    const r = await a.analyze('nml finding detector=syn score=0.987 ip=45.155.205.233 SYN scan: source 45.155.205.233 sent 812 SYNs to 640 ports on 3 hosts; top host 203.0.113.10 port 22');
    assert.equal(r.similar[0]?.incident.id, 'demo:3', r.similar.map((x) => `${x.incident.id} ${x.score.toFixed(2)}`).join(', '));
    assert.equal(r.suggestion.source, 'similar-incidents');
    // and the brute-force reports still find the brute-force incidents first
    const ssh = await a.analyze('SSH brute force against srv-bastion-01 from 203.0.113.9: 900 failed password logins for root');
    assert.deepEqual(ssh.similar.slice(0, 2).map((x) => x.incident.id).sort(), ['demo:1', 'demo:2']);
  } finally {
    base.close();
  }
});
