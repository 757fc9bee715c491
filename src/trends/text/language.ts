/** Language of a text from its script: Japanese when kana or kanji dominate letters, else English for Latin text. */

export type Lang = 'en' | 'ja' | 'und';

export function detectLanguage(text: string, declared: string | null = null): Lang {
  let latin = 0;
  let kana = 0;
  let han = 0;
  const n = Math.min(text.length, 4000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
    else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0x4e00 && c <= 0x9fff) han++;
  }
  // kana is decisive for Japanese (Chinese has none); a few kanji within Latin text are not
  if (kana > 0 && (kana + han) * 3 >= latin) return 'ja';
  if (latin >= 20 || (latin > 0 && latin >= (kana + han) * 3)) return declared === 'ja' ? 'ja' : 'en';
  if (declared === 'ja' || declared === 'en') return declared;
  return 'und';
}
