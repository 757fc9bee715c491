/**
 * Text the attack-type classifier cannot read counts as no type: 45 Chinese, German and Russian
 * ransomware headlines all scored ddos .84, account_takeover .84, targeted .96, web_attack .94,
 * malware .93 (the intercepts of an empty vector) and counted as five types; "Hello, just a page" as three.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { detectLanguage } from './text/language.js';
import { collectedDoc } from './history.js';
import { annotate, attackTypeScorer } from './annotate.js';
import { loadModels } from './models.js';
import { TrendsService } from './service.js';
import { DocStore, type NewDoc } from './docstore.js';
import { simhash } from './dedupe.js';
import { trendsBasisText } from './basis-text.js';
import { FIXTURES } from './testing.js';

const INTERCEPTS = { ddos: 0.843, account_takeover: 0.839, targeted: 0.962, web_attack: 0.938, ransomware: 0.395, malware: 0.929 };
const DE = 'Ransomware-Angriff auf die Stadtwerke: Hacker fordern Lösegeld von der Verwaltung';
const ZH = '勒索软件攻击导致医院系统瘫痪';
const RU = 'Программа-вымогатель атаковала городскую больницу';
const models = loadModels(join(FIXTURES, '..', '..', '..', 'models', 'trends'));
const classifier = models.attackType!;

test('German, Chinese and Russian are told apart from English; English stays English', () => {
  assert.equal(detectLanguage(DE), 'de');
  assert.equal(detectLanguage('Ransomware-Angriff auf Stadtwerke'), 'de');
  assert.equal(detectLanguage('Hackerangriff legt Stadtverwaltung lahm – Bürger betroffen'), 'de');
  assert.equal(detectLanguage(ZH), 'zh');
  assert.equal(detectLanguage(RU), 'ru');
  assert.equal(detectLanguage('Patients die after ransomware attack on a hospital in Düsseldorf'), 'en');
  assert.equal(detectLanguage('LockBit ransomware hits a regional hospital in Spain', 'de'), 'en');
  assert.equal(detectLanguage('Attaque par rançongiciel contre la mairie de la ville'), 'fr');
});

test('a stored document in a language the classifier was not trained on counts as no type, whatever its stored scores', () => {
  for (const [text, lang] of [[DE, 'de'], [ZH, 'zh'], [RU, 'ru'], [ZH, 'und']] as const) {
    const d = collectedDoc({ id: 1, title: text, text: '', url: null, time: 0, lang, types: INTERCEPTS }, 0.5, classifier.vectorizer);
    assert.deepEqual(d.types, [], `${lang}: ${text}`);
    assert.equal(d.unread, 'language');
  }
  // German stored as `en` by the old rule: too few words the classifier knows
  const old = collectedDoc({ id: 2, title: DE, text: '', url: null, time: 0, lang: 'en', types: INTERCEPTS }, 0.5, classifier.vectorizer);
  assert.deepEqual(old.types, []);
  assert.equal(old.unread, 'few_known_words');
  const hello = collectedDoc({ id: 3, title: 'Hello, just a page', text: '', url: null, time: 0, lang: 'en', types: { account_takeover: 0.99, web_attack: 0.98, targeted: 0.92 } }, 0.5, classifier.vectorizer);
  assert.deepEqual(hello.types, []);
  assert.equal(hello.unread, 'few_known_words');
  const en = collectedDoc({ id: 4, title: 'LockBit ransomware gang hits regional hospital', text: '', url: null, time: 0, lang: 'en', types: { ransomware: 0.99 } }, 0.5, classifier.vectorizer);
  assert.deepEqual(en.types, ['ransomware']);
  assert.equal(en.unread, undefined);
});

test('collection stores no scores for text the classifier cannot read, and scores English', () => {
  const scorer = attackTypeScorer(classifier);
  for (const text of [DE, ZH, RU]) {
    const a = annotate(text, null, scorer);
    assert.deepEqual(a.types, {}, text);
    assert.equal(a.unread, 'language');
  }
  const hello = annotate('Hello, just a page', null, scorer);
  assert.deepEqual(hello.types, {});
  assert.equal(hello.unread, 'few_known_words');
  const en = annotate('LockBit ransomware gang hits regional hospital and demands ransom', null, scorer);
  assert.ok(en.types['ransomware']! > 0.9);
  assert.equal(en.unread, undefined);
});

test('the forecast says how many documents of its window were left unread and why', () => {
  const NOW = Date.UTC(2026, 10, 20, 12);
  const DAY = 86_400_000;
  // the days before NOW's: the forecast for NOW's day reads the whole days before it
  const doc = (i: number, title: string, lang: string, types: Record<string, number>): NewDoc => ({ source: 'news', url: `https://n.example/${i}`, title, text: '', time: NOW - (1 + (i % 20)) * DAY, fetchedAt: NOW, lang, types, keywords: [], simhash: simhash(`${i} ${title}`) });
  const docs = [
    ...Array.from({ length: 15 }, (_, i) => doc(i, `${DE} ${i}`, 'de', INTERCEPTS)),
    ...Array.from({ length: 15 }, (_, i) => doc(100 + i, `${ZH} ${i}`, 'und', INTERCEPTS)),
    ...Array.from({ length: 15 }, (_, i) => doc(200 + i, `${RU} ${i}`, 'und', INTERCEPTS)),
    doc(300, 'Hello, just a page', 'en', INTERCEPTS),
    ...Array.from({ length: 12 }, (_, i) => doc(400 + i, `LockBit ransomware gang hits regional hospital number ${i}`, 'en', { ransomware: 0.99 })),
  ];
  const store = new DocStore(':memory:');
  try {
    store.insertMany(docs);
    const o = new TrendsService({ store, models, history: [], calendar: [], now: () => NOW }).overview('day', 30);
    assert.deepEqual(o.basis.unread, { documents: 46, language: { und: 30, de: 15 }, fewKnownWords: 1 });
    const last = (t: string): number => o.types.find((x) => x.type === t)!.points.reduce((a, p) => a + (p.observed ?? 0), 0);
    assert.equal(last('ddos'), 0);
    assert.equal(last('targeted'), 0);
    assert.equal(last('ransomware'), 12);
    assert.match(trendsBasisText(o.basis, 'day'), /; 46 collected documents left unread, counted as no attack type \(not in a language the classifier reads, English: 30 und, 15 de; 1 with too few words the classifier knows\)$/);
  } finally {
    store.close();
  }
});
