/** Any character outside ASCII: only such a text can change under NFKC. */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The text with full-width letters and digits (`ＤＤｏＳ`, `ＣＶＥ－２０２４－１２３４`) and half-width katakana
 * (`ﾗﾝｻﾑｳｪｱ`), common in Japanese news, in their usual forms (NFKC), as the tokenizer and the lexicon
 * know them; an ASCII text as it is. Until 2026-12 `ＤＤｏＳ` was a word of its own, no attack term, and a
 * full-width CVE id was no CVE in trends, and `ＳＳＨ` another word than `SSH` in the incident base.
 */
export function compatibleText(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFKC') : text;
}
