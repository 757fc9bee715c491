/** The text pipeline: language, English and Japanese tokens, keywords, entities and the attack calendar. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { detectLanguage } from './language.js';
import { loadJapanese, tokenize, tokenizeEnglish } from './tokenize.js';
import { topKeywords } from './keywords.js';
import { attackTermsIn, extractTextEntities, WORD_CHAR } from './entities.js';
import { ATTACK_TERMS, ATTACK_TYPES } from './lexicon.js';
import { calendarHits, loadCalendarFile, validateCalendar } from './calendar.js';
import { DEFAULT_CALENDAR } from './calendar-default.js';
import { FIXTURES } from '../testing.js';
import { isAppError } from '../../core/index.js';

test('language from script: kana means Japanese, Latin text English', () => {
  assert.equal(detectLanguage('政府機関のウェブサイトがDDoS攻撃を受けた'), 'ja');
  assert.equal(detectLanguage('LockBit ransomware hits a regional hospital in Spain'), 'en');
  assert.equal(detectLanguage('Attack on 東京 office reported by researchers this week'), 'en');
  assert.equal(detectLanguage('12345', 'ja'), 'ja');
  assert.equal(detectLanguage(''), 'und');
});

test('English tokens keep CVE ids and hyphenated terms, drop stop words', () => {
  assert.deepEqual(tokenizeEnglish('The SQL-injection in CVE-2023-34362 was exploited by Cl0p and the gang'), ['sql-injection', 'cve-2023-34362', 'exploited', 'cl0p', 'gang']);
});

test('Japanese tokens come from the kuromoji dictionary (loaded once) with base forms', async () => {
  const before = tokenize('ランサムウェア攻撃を受けた', 'ja');
  assert.ok(before.length > 0, 'before the dictionary loads, character bigrams stand in');
  const t1 = loadJapanese();
  assert.equal(loadJapanese(), t1, 'one load shared by every caller');
  await t1;
  const toks = tokenize('政府機関のウェブサイトがDDoS攻撃を受け、CVE-2024-1234の脆弱性が悪用された。', 'ja');
  for (const w of ['政府', '機関', 'ウェブサイト', 'ddos', '攻撃', '受ける', 'cve-2024-1234', '脆弱', '悪用']) assert.ok(toks.includes(w), `${w} in ${toks.join(' ')}`);
  assert.ok(!toks.includes('の') && !toks.includes('が'));
});

test('keywords rank by frequency, or by tf-idf when idf is given', () => {
  const toks = ['ddos', 'bank', 'ddos', 'attack', 'attack', 'attack'];
  assert.deepEqual(topKeywords(toks, 2), ['attack', 'ddos']);
  assert.deepEqual(topKeywords(toks, 1, (t) => (t === 'attack' ? 0.1 : 1)), ['ddos']);
});

test('entities: CVEs, actors, countries, sectors and typed attack terms in English and Japanese', () => {
  const e = extractTextEntities('Pro-Russian NoName057(16) hits a Polish bank; LockBit ransomware exploits cve-2023-4966 in Citrix. 日本の病院にランサムウェア攻撃');
  assert.deepEqual(e.cves, ['CVE-2023-4966']);
  assert.deepEqual(e.organisations, ['NoName057(16)', 'LockBit', 'Citrix']);
  assert.deepEqual(e.countries.sort(), ['JP', 'PL', 'RU']);
  assert.deepEqual(e.sectors.sort(), ['finance', 'health']);
  const types = new Set(e.attackTerms.map((a) => a.type));
  assert.ok(types.has('ddos') && types.has('ransomware'));
  assert.deepEqual(extractTextEntities('we will play a royal game').organisations, [], 'common words are not organisations unless capitalised');
});

test('full-width letters and digits and half-width katakana read as their usual forms: tokens, CVE ids, attack terms', async () => {
  const ja = await loadJapanese();
  assert.ok(ja);
  const tokens = tokenize('大手企業にＤＤｏＳ攻撃、ＣＶＥ－２０２４－１２３４の脆弱性を悪用');
  assert.ok(tokens.includes('ddos') && tokens.includes('cve-2024-1234'), tokens.join(' '));
  assert.ok(tokenize('ﾗﾝｻﾑｳｪｱ被害が拡大').includes('ランサムウェア'));
  assert.deepEqual(tokenize('Ransomware hits ＤＤｏＳ'), ['ransomware', 'hits', 'ddos']);
  const e = extractTextEntities('ＬｏｃｋＢｉｔがＣＶＥ－２０２３－４９６６を悪用、ﾗﾝｻﾑｳｪｱ被害');
  assert.deepEqual(e.cves, ['CVE-2023-4966']);
  assert.deepEqual(e.organisations, ['LockBit']);
  assert.deepEqual(attackTermsIn('ﾗﾝｻﾑｳｪｱ被害').map((a) => a.type), ['ransomware']);
});

test('calendar: recurring and one-off entries, multi-day votes, the default calendar validates', () => {
  const cal = loadCalendarFile(join(FIXTURES, 'calendar.json'));
  const day = (s: string): number => Date.parse(`${s}T00:00:00Z`);
  assert.deepEqual(calendarHits(cal, day('2025-04-06'), day('2025-04-09')).map((h) => h.day), ['2025-04-07']);
  assert.deepEqual(calendarHits(cal, day('2024-03-14'), day('2024-03-20')).map((h) => h.day), ['2024-03-15', '2024-03-16', '2024-03-17']);
  assert.equal(validateCalendar(DEFAULT_CALENDAR, 'default').length, DEFAULT_CALENDAR.length);
  for (const bad of [{}, [{ date: '13-01', name: 'x', kind: 'election', source: 's' }], [{ date: '01-01', name: 'x', kind: 'party', source: 's' }], [{ date: '01-01', name: 'x', kind: 'holiday' }]]) {
    assert.throws(() => validateCalendar(bad, 'test'), (e: unknown) => isAppError(e) && e.code === 'TRENDS_CALENDAR_INVALID');
  }
  assert.throws(() => loadCalendarFile(join(FIXTURES, 'no-such.json')), (e: unknown) => isAppError(e) && e.code === 'TRENDS_CALENDAR_INVALID');
});

test('fuzz: tokenizers and entity extraction take any text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (s) => {
      tokenize(s);
      tokenize(s, 'ja');
      extractTextEntities(s);
      detectLanguage(s);
    }),
    { numRuns: 300 },
  );
});

test('attack terms with one shared pair of boundary checks are the terms of one pair per term, longest first', () => {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const terms = [...new Set(ATTACK_TYPES.flatMap((t) => ATTACK_TERMS[t]).map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  // the regex before: every ASCII term with its own boundaries
  const perTerm = new RegExp(terms.map((w) => (/^[\x00-\x7f]+$/.test(w) ? `(?<!${WORD_CHAR})${escape(w)}(?!${WORD_CHAR})` : escape(w))).join('|'), 'gv');
  const pieces = [...terms, ...terms.map((t) => t.slice(0, 3)), ' ', '-', 'x', '攻撃', '9', ', '];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
      const text = parts.join('');
      const before = [...new Set([...text.matchAll(perTerm)].map((m) => m[0]))];
      assert.deepEqual(attackTermsIn(text).map((a) => a.term), before, text);
    }),
    { numRuns: 2000 },
  );
});
