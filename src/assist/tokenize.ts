/** Tokens for retrieval: lower-cased words, stop words out, CJK runs as character bigrams. */

const STOP = new Set(
  ('a an and are as at be been but by for from has have he her his i if in into is it its of on or our she ' +
    'that the their them they this to was we were which who will with you your not no can could would should ' +
    'after also about over more than said says its which while there these those been being did do does had ' +
    'how new one two all any may out up so such what when where why just only other some very us via per').split(' '),
);

const WORD = /[\p{L}\p{N}_]+(?:[.\-'][\p{L}\p{N}_]+)*/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+/u;

function cjkBigrams(run: string, out: string[]): void {
  const chars = [...run];
  if (chars.length === 1) out.push(chars[0] as string);
  for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (CJK.test(w)) {
      for (const piece of w.split(/([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+)/u)) {
        if (piece === '') continue;
        if (CJK.test(piece)) cjkBigrams(piece, out);
        else if (piece.length > 1 && !STOP.has(piece)) out.push(piece);
      }
      continue;
    }
    if (w.length < 2 || w.length > 40 || STOP.has(w) || /^\d{1,3}$/.test(w)) continue;
    out.push(w.replace(/'s$/, ''));
  }
  return out;
}
