/** The lexicon terms of the attack-type classifier: phrases found in tokens, their effect on a model, their selection, and the shipped model reading a headline its training text lacks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError } from '../../core/index.js';
import { REPO_ROOT } from '../../cli/testing.js';
import { tokenize } from '../text/tokenize.js';
import { loadModels } from '../models.js';
import { loadHackmageddon } from '../data/datasets.js';
import { lexiconTerms } from './lexicon-terms.js';
import { LEXICON_GRID, selectLexicon } from './select-lexicon.js';
import { TextClassifier, type TextClassifierJson } from './text-classifier.js';
import { trainAttackTypeModel } from './text-eval.js';

const DATASETS = join(REPO_ROOT, '..', 'shared', 'datasets');
const terms = (text: string): string[] => lexiconTerms(tokenize(text, 'en'));

test('lexicon terms: phrases match as the tokenizer leaves them (stop words gone, CVE ids whole), each type once, in type order', () => {
  assert.deepEqual(terms('Hacktivists claim denial of service on a city council'), ['lex:ddos']);
  assert.deepEqual(terms('SQL injection exposes records'), ['lex:web_attack']);
  assert.deepEqual(terms('Attackers exploit CVE-2024-1071 in a plugin'), ['lex:web_attack']);
  assert.deepEqual(terms('Ransomware and a botnet: ransomware again'), ['lex:ddos', 'lex:ransomware']);
  assert.deepEqual(terms('Spear-phishing by APT29'), ['lex:targeted']);
  // part of a phrase is not the phrase; a word inside another word is not it
  assert.deepEqual(terms('SQL server records of the service'), []);
  assert.deepEqual(terms('a trojanised ransomed operator'), []);
  assert.deepEqual(lexiconTerms([]), []);
});

/** Web attacks named by common words in training ("vulnerability", "exploit") and by a phrase only at test time ("sql injection"). */
const TRAIN: [string, string][] = [
  ['critical vulnerability in a plugin exploited by attackers', 'web_attack'],
  ['researchers disclose a vulnerability in the gateway', 'web_attack'],
  ['attackers exploit a flaw in the file transfer server', 'web_attack'],
  ['exploit released for a vulnerability in the firewall', 'web_attack'],
  ['gang encrypts files and demands a ransom from the hospital', 'ransomware'],
  ['ransomware gang leaks stolen records of the school', 'ransomware'],
  ['hospital records stolen and encrypted, ransom demanded', 'ransomware'],
  ['ransom note found on the servers of the council', 'ransomware'],
];
const docs = TRAIN.map(([t, l]) => ({ tokens: tokenize(t, 'en'), labels: [l] }));
const HEADLINE = 'SQL injection exposes records of a city council';

test('text classifier: lexicon terms carry what common phrases taught to a phrase training never had, and round-trip through JSON', () => {
  const opts = { vectorizer: { minDf: 1 }, logreg: { seed: 3, epochs: 60 } };
  const plain = TextClassifier.train(docs, ['web_attack', 'ransomware'], opts);
  const lex = TextClassifier.train(docs, ['web_attack', 'ransomware'], { ...opts, lexicon: 4 });
  const tokens = tokenize(HEADLINE, 'en');
  assert.ok(plain.predict(tokens)['web_attack']! < 0.5, `without: ${JSON.stringify(plain.predict(tokens))}`);
  assert.ok(lex.predict(tokens)['web_attack']! > 0.5, `with: ${JSON.stringify(lex.predict(tokens))}`);
  assert.ok(lex.vectorizer.has('lex:web_attack') && !plain.vectorizer.has('lex:web_attack'));
  const j = lex.toJSON();
  assert.equal(j.lexicon, 4);
  assert.equal(plain.toJSON().lexicon, undefined, 'a model without lexicon terms writes the file as before');
  const copy = TextClassifier.fromJSON(JSON.parse(JSON.stringify(j)), 'test');
  assert.ok(Math.abs(copy.predict(tokens)['web_attack']! - lex.predict(tokens)['web_attack']!) < 1e-4);
  for (const bad of [0.5, -1, 'x', null, 1e9]) {
    const d = { ...JSON.parse(JSON.stringify(j)), lexicon: bad } as TextClassifierJson;
    assert.throws(() => TextClassifier.fromJSON(d, 'models/attack-type.json'), (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_INVALID' && /lexicon/.test(e.message), String(bad));
  }
  assert.throws(() => TextClassifier.train(docs, ['web_attack'], { lexicon: 0.5 }), RangeError);
});

test('lexicon selection: scores every count of the grid on the latest documents and keeps none when the terms do not help', () => {
  // labels that no lexicon phrase tells apart: both classes carry the same phrases
  const same: [string, string][] = Array.from({ length: 40 }, (_, i) => [`${i % 2 === 0 ? 'alpha beta' : 'gamma delta'} ransomware vulnerability note ${i}`, i % 2 === 0 ? 'a' : 'b']);
  const s = selectLexicon(same.map(([t, l]) => ({ tokens: tokenize(t, 'en'), labels: [l] })), ['a', 'b'], { vectorizer: { minDf: 1 }, logreg: { seed: 1, epochs: 20 } });
  assert.deepEqual(s.scores.map((c) => c.lexicon), [...LEXICON_GRID]);
  assert.equal(s.chosen, 0, JSON.stringify(s));
});

test('the shipped attack-type model reads a SQL injection headline as a web attack (it read ransomware 0.70, malware 0.81 without lexicon terms)', () => {
  const classifier = loadModels(join(REPO_ROOT, 'models', 'trends')).attackType!;
  assert.ok(classifier.lexicon >= 1, 'the shipped model uses lexicon terms');
  const p = classifier.predict(tokenize(HEADLINE, 'en'));
  assert.ok(p['web_attack']! > 0.5 && p['ransomware']! < 0.5, JSON.stringify(p));
});

test('lexicon terms on hackmageddon (time split): chosen on validation, and the test ROC-AUC of every type at least that without them', { skip: existsSync(join(DATASETS, 'attack-timeline-hackmageddon')) ? false : 'needs ../shared/datasets/attack-timeline-hackmageddon' }, () => {
  const { eval: ev } = trainAttackTypeModel(loadHackmageddon(DATASETS), Date.UTC(2024, 6, 1));
  assert.match(ev.selection ?? '', /count [1-9]/);
  // without lexicon terms (models/trends/MODEL_CARD.md, 2026-11-29): the figures they must not fall under
  const before: Record<string, number> = { ddos: 0.981, account_takeover: 0.831, targeted: 0.818, web_attack: 0.813, ransomware: 0.973, malware: 0.905 };
  for (const l of ev.labels) assert.ok(l.rocAuc! >= before[l.label]!, `${l.label}: ${l.rocAuc} < ${before[l.label]}`);
});
