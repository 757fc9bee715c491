/** Metrics, TF-IDF, logistic regression and the one-vs-rest text classifier on small written examples; the datasets when present. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { binaryMetrics, rocAuc } from '../../core/index.js';
import { TfidfVectorizer, type VectorizerJson } from './vectorizer.js';
import { TextClassifier, type TextClassifierJson } from './text-classifier.js';
import type { LogRegJson } from './logreg.js';
import { tokenize } from '../text/tokenize.js';
import { loadCasie, loadHackmageddon, incidentTypes, type CasieArticle, type Incident } from '../data/datasets.js';
import { THREAT_DEMO_TEMPLATES, threatKeywordCount, threatTransferEval, trainAttackTypeModel } from './text-eval.js';
import { loadThreatModel } from '../models.js';
import { demoHeadlines, type DemoHeadline } from '../demo.js';
import { isAppError } from '../../core/index.js';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/testing.js';

const DATASETS = join(REPO_ROOT, '..', 'shared', 'datasets');

test('ROC-AUC: perfect, inverted, ties and one class', () => {
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  assert.equal(rocAuc([0.1, 0.2], [1, 1]), null);
  const m = binaryMetrics([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0]);
  assert.deepEqual([m.accuracy, m.precision, m.recall], [0.5, 0.5, 0.5]);
});

test('tf-idf: rare terms weigh more, vectors are unit length, unknown terms vanish', () => {
  const v = TfidfVectorizer.fit([['a', 'b'], ['a', 'c'], ['a', 'b']], { minDf: 1, maxFeatures: 10, bigrams: false });
  const x = v.transform(['a', 'c', 'zzz']);
  assert.equal(x.idx.length, 2);
  const norm = Math.hypot(...x.val);
  assert.ok(Math.abs(norm - 1) < 1e-6);
  const a = x.val[v.terms.indexOf('a') === x.idx[0] ? 0 : 1]!;
  const c = x.val[v.terms.indexOf('c') === x.idx[0] ? 0 : 1]!;
  assert.ok(c > a, 'the rarer term weighs more');
});

const TRAIN = [
  ['massive ddos attack floods bank websites with botnet traffic', 'ddos'],
  ['hacktivists launch denial of service attack on ministry portal', 'ddos'],
  ['ddos knocks airline booking offline for hours', 'ddos'],
  ['botnet traffic takes down government sites in ddos wave', 'ddos'],
  ['lockbit ransomware encrypts hospital servers and demands ransom', 'ransomware'],
  ['ransomware gang leaks stolen data after ransom refused', 'ransomware'],
  ['city council hit by ransomware, systems encrypted', 'ransomware'],
  ['ransomware attack on manufacturer halts production, ransom demanded', 'ransomware'],
] as const;

test('text classifier: learns attack types, explains with terms, round-trips through JSON', () => {
  const docs = TRAIN.map(([t, l]) => ({ tokens: tokenize(t, 'en'), labels: [l] }));
  const m = TextClassifier.train(docs, ['ddos', 'ransomware'], { vectorizer: { minDf: 1 }, logreg: { seed: 2, epochs: 30 } });
  const p = m.predict(tokenize('new ddos campaign by botnet against banks', 'en'));
  assert.ok(p['ddos']! > 0.5 && p['ransomware']! < 0.5, JSON.stringify(p));
  const q = m.predict(tokenize('ransomware encrypts school network', 'en'));
  assert.ok(q['ransomware']! > 0.5 && q['ddos']! < 0.5, JSON.stringify(q));
  assert.ok(m.explain(tokenize('ddos botnet against banks', 'en'), 'ddos').some((e) => e.term === 'ddos' || e.term === 'botnet'));
  const copy = TextClassifier.fromJSON(JSON.parse(JSON.stringify(m.toJSON())), 'test');
  assert.ok(Math.abs(copy.predict(tokenize('ddos botnet', 'en'))['ddos']! - m.predict(tokenize('ddos botnet', 'en'))['ddos']!) < 1e-4);
  assert.throws(() => TextClassifier.fromJSON({ kind: 'x' }, 'bad.json'), (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_INVALID');
});

test('text classifier: a damaged file (counts, dimensions, non-finite numbers) is TRENDS_MODEL_INVALID naming it', () => {
  const docs = TRAIN.map(([t, l]) => ({ tokens: tokenize(t, 'en'), labels: [l] }));
  const good = TextClassifier.train(docs, ['ddos', 'ransomware'], { vectorizer: { minDf: 1 }, logreg: { seed: 2, epochs: 5 } }).toJSON();
  const damaged: Record<string, (j: TextClassifierJson) => void> = {
    'a model removed': (j) => j.models.pop(),
    'weights cut short': (j) => (j.models[0]!.w = j.models[0]!.w.slice(0, 3)),
    'a weight that is a string': (j) => ((j.models[1]!.w as unknown[])[0] = '1e3x'),
    'a weight null': (j) => ((j.models[1]!.w as unknown[])[2] = null),
    'a weight beyond float32': (j) => (j.models[1]!.w[2] = 1e300),
    'no bias': (j) => delete (j.models[0] as Partial<LogRegJson>).b,
    'idf shorter than terms': (j) => j.vectorizer.idf.pop(),
    'idf zero': (j) => (j.vectorizer.idf[0] = 0),
    'terms repeated': (j) => (j.vectorizer.terms[1] = j.vectorizer.terms[0]!),
    'bigrams missing': (j) => delete (j.vectorizer as Partial<VectorizerJson>).bigrams,
    'labels not strings': (j) => ((j.labels as unknown[])[0] = 3),
  };
  for (const [name, damage] of Object.entries(damaged)) {
    const j = JSON.parse(JSON.stringify(good)) as TextClassifierJson;
    damage(j);
    assert.throws(
      () => TextClassifier.fromJSON(j, 'models/attack-type.json'),
      (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_INVALID' && e.message.includes('models/attack-type.json'),
      name,
    );
  }
});

test('hackmageddon techniques map to attack types; 2023 ransomware filed under malware is read from the description', () => {
  assert.deepEqual(incidentTypes('DDoS', 'hacktivism'), ['ddos']);
  assert.deepEqual(incidentTypes('Malware', 'cyber crime', 'The LockBit ransomware gang claims the attack'), ['ransomware']);
  assert.deepEqual(incidentTypes('Malware', 'cyber crime', 'an infostealer'), ['malware']);
  assert.deepEqual(incidentTypes('CVE-2023-34362 Vulnerability', 'cyber crime'), ['web_attack']);
  assert.deepEqual(incidentTypes('Unknown', 'cyber espionage'), ['targeted']);
  assert.deepEqual(incidentTypes('Credential Stuffing', 'cyber crime'), ['account_takeover']);
});

test('attack-type text model on hackmageddon (time split) separates DDoS well', { skip: existsSync(`${DATASETS}/attack-timeline-hackmageddon`) ? false : 'needs ../shared/datasets/attack-timeline-hackmageddon' }, () => {
  const inc = loadHackmageddon(DATASETS);
  assert.equal(inc.length, 1832);
  const { eval: ev } = trainAttackTypeModel(inc, Date.UTC(2024, 6, 1));
  const ddos = ev.labels.find((l) => l.label === 'ddos')!;
  assert.ok(ddos.rocAuc! > 0.9, `ddos auc ${ddos.rocAuc}`);
});

test('threat keywords: vulnerabilities, exploits, CVEs, zero-days and PoCs as the tokenizer leaves them', () => {
  assert.equal(threatKeywordCount(tokenize('PoC exploit for CVE-2024-1234 and a zero-day: vulnerabilities exploited (0day), cve list', 'en')), 8);
  assert.equal(threatKeywordCount(tokenize('patch your pocket router, ransomware hits a bank', 'en')), 0);
});

test('threat transfer: ROC-AUC of the model and of the keyword baseline, known exactly on a small case', () => {
  // a model that knows "exploit" (and nothing of "vulnerability"): a text without its words scores its intercept
  const train = [['exploit poc released for router', true], ['new exploit for cms', true], ['selling cats pictures', false], ['football match tonight', false]] as const;
  const model = TextClassifier.train(train.map(([t, y]) => ({ tokens: tokenize(t, 'en'), labels: y ? ['threat'] : [] })), ['threat'], { vectorizer: { minDf: 1 }, logreg: { seed: 1, epochs: 30 } });
  const article = (title: string, subtypes: string[]): CasieArticle => ({ date: 0, title, text: '', subtypes });
  // keywords: positives 2 and 0, negatives 1 and 0 → (1 + 1 + 0 + 0.5) / 4 = 0.625
  // model: the first positive above both negatives, the second tied with them (all at the intercept) → (1 + 1 + 0.5 + 0.5) / 4 = 0.75
  const casie = [article('exploit vulnerability found in router', ['DiscoverVulnerability']), article('vendor ships firmware update', ['PatchVulnerability', 'Databreach']), article('phishing mails mention vulnerability', ['Phishing']), article('hospital pays ransom', ['Ransom'])];
  const incident = (technique: string, description: string): Incident => ({ reported: 0, description, types: [], technique, motive: 'cyber crime', country: '', target: '', author: '' });
  const incidents = [incident('CVE-2023-1 Vulnerability', 'exploit used'), incident('DDoS', 'site offline'), incident('Unknown', 'exploit maybe')];
  const demo: DemoHeadline[] = [
    ...THREAT_DEMO_TEMPLATES.map((template) => ({ type: 'web_attack' as const, template, headline: 'exploit against a bank' })),
    { type: 'ddos', template: 'Botnet floods {victim} with record traffic', headline: 'Botnet floods a bank with record traffic' },
  ];
  const r = threatTransferEval(model, 'threat.json', { casie, incidents, demo });
  const full = r.sets.find((s) => s.set === 'CASIE news: title + text')!;
  assert.deepEqual([full.model.n, full.model.positives, full.model.rocAuc, full.keywords.rocAuc], [4, 2, 0.75, 0.625]);
  // the baseline flags at one keyword or more: the first positive and the first negative
  assert.deepEqual([full.keywords.precision, full.keywords.recall], [0.5, 0.5]);
  const hack = r.sets.find((s) => s.set.startsWith('HACKMAGEDDON'))!;
  assert.deepEqual([hack.model.n, hack.model.positives, hack.model.rocAuc, hack.keywords.rocAuc], [2, 1, 1, 1], 'the Unknown technique is left out');
  const shown = r.sets.find((s) => s.set.startsWith('demo'))!;
  assert.deepEqual([shown.model.n, shown.model.positives, shown.model.rocAuc], [THREAT_DEMO_TEMPLATES.length + 1, THREAT_DEMO_TEMPLATES.length, 1]);
  assert.deepEqual(threatTransferEval(model, 'threat.json', { casie, incidents, demo }), r, 'no randomness: the same figures again');
  // a renamed demo template would turn its headlines into negatives without a word
  assert.throws(() => threatTransferEval(model, 'threat.json', { casie, incidents, demo: demo.slice(1) }), /not in src\/trends\/demo\.ts/);
});

const THREAT_FILE = join(REPO_ROOT, 'models', 'trends', 'threat.json');
const transferData = [`${DATASETS}/news-cyber-events-casie`, `${DATASETS}/attack-timeline-hackmageddon`].every((d) => existsSync(d));

test('threat transfer of the shipped model: the figures of models/trends/MODEL_CARD.md', { skip: transferData ? false : 'needs ../shared/datasets/news-cyber-events-casie and attack-timeline-hackmageddon' }, () => {
  const model = loadThreatModel(join(REPO_ROOT, 'models', 'trends'));
  assert.ok(model !== null, `${THREAT_FILE} is missing`);
  const r = threatTransferEval(model, THREAT_FILE, { casie: loadCasie(DATASETS), incidents: loadHackmageddon(DATASETS), demo: demoHeadlines() });
  const row = (s: (typeof r.sets)[number]): string => `${s.set}: n ${s.model.n}, positives ${s.model.positives}, model ${s.model.rocAuc?.toFixed(3)}, keywords ${s.keywords.rocAuc?.toFixed(3)}`;
  // a retrained threat.json changes these: update the card's transfer table with them
  assert.deepEqual(r.sets.map(row), [
    'CASIE news: title + text: n 1000, positives 419, model 0.815, keywords 0.918',
    'CASIE news: title only: n 1000, positives 419, model 0.717, keywords 0.665',
    'HACKMAGEDDON incident descriptions: n 1141, positives 115, model 0.597, keywords 0.750',
    'demo headlines (every template × 12 victims): n 252, positives 36, model 0.726, keywords 0.833',
  ]);
});
