/**
 * Language of a text: Japanese when kana decide it, Chinese for Han script without kana, Russian for
 * Cyrillic; Latin text is English unless another language's function words outnumber English ones
 * (German headlines were tagged English only because they were written in Latin letters).
 */

export type Lang = 'en' | 'ja' | 'zh' | 'ru' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt' | 'und';

/** Function words per Latin-script language; a word two languages share is left out of both, or kept in English. */
const FUNCTION_WORDS: Record<'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt', ReadonlySet<string>> = {
  en: new Set('the a an of to in and for on with is are was were by at from as after has have its that this it be been not over into than who which'.split(' ')),
  de: new Set('der die das und ist nicht mit von den dem des ein eine einer eines auf für im zu bei nach sich auch wird werden wurde gegen über aus vom zum zur hat sind noch wie nur oder durch'.split(' ')),
  fr: new Set('le la les des du une et est pour dans sur par avec au aux qui que pas sont ce cette ont été selon contre'.split(' ')),
  es: new Set('el los las del y una por para con que es se al su contra sus fue ha según como más'.split(' ')),
  it: new Set('il lo gli della di che per con una del dei sono nel alla delle ha stato contro anche più'.split(' ')),
  nl: new Set('het een van en op voor met niet dat zijn bij naar uit ook wordt werd tegen door'.split(' ')),
  pt: new Set('os da do das dos em um uma para com não que por ao foi pela pelo contra mais'.split(' ')),
};

/** Letters only some Latin-script languages use: one of them with no English function word decides a short text. */
const MARKS: [Lang, RegExp][] = [
  ['de', /[äöüß]/i],
  ['es', /[ñ¿¡]/i],
  ['pt', /[ãõ]/i],
  ['fr', /[èêëç]|\b[ld]'/i],
];

const LATIN_LANGS = ['de', 'fr', 'es', 'it', 'nl', 'pt'] as const;

/** The Latin-script language of a text by its function words (English on a tie or without evidence). */
function latinLanguage(text: string, declared: string | null): Lang {
  const counts: Record<string, number> = { en: 0, de: 0, fr: 0, es: 0, it: 0, nl: 0, pt: 0 };
  let words = 0;
  for (const w of text.slice(0, 4000).toLowerCase().match(/\p{L}+/gu) ?? []) {
    words++;
    for (const [lang, set] of Object.entries(FUNCTION_WORDS)) if (set.has(w)) counts[lang]!++;
  }
  let best: Lang = 'en';
  for (const l of LATIN_LANGS) if (counts[l]! > counts[best]!) best = l;
  const en = counts['en']!;
  // two function words more than English, or more than English with none of its own (a headline), or the declaration agreeing
  if (best !== 'en' && (counts[best]! >= 2 || en === 0 || declared === best)) return best;
  if (en === 0) {
    // a headline with no function word at all: the declared language, else letters only another language has
    if (declared !== null && (LATIN_LANGS as readonly string[]).includes(declared)) return declared as Lang;
    for (const [lang, re] of MARKS) if (re.test(text)) return lang;
  }
  return words === 0 ? 'und' : 'en';
}

export function detectLanguage(text: string, declaredTag: string | null = null): Lang {
  const declared = declaredTag === null ? null : (declaredTag.toLowerCase().split(/[-_]/)[0] ?? null);
  let latin = 0;
  let kana = 0;
  let han = 0;
  let cyrillic = 0;
  const n = Math.min(text.length, 4000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
    else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c >= 0x0400 && c <= 0x04ff) cyrillic++;
  }
  // kana is decisive for Japanese (Chinese has none); a few kanji within Latin text are not
  if (kana > 0 && (kana + han) * 3 >= latin) return 'ja';
  if (han > 0 && han * 3 >= latin) return declared === 'ja' ? 'ja' : 'zh';
  if (cyrillic > 0 && cyrillic >= latin) return 'ru';
  if (latin >= 20 || (latin > 0 && latin >= (kana + han + cyrillic) * 3)) return declared === 'ja' ? 'ja' : latinLanguage(text, declared);
  if (declared === 'ja' || declared === 'en') return declared;
  return 'und';
}
