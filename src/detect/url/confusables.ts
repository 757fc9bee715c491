/**
 * A confusable "skeleton" of text, for the deception rules (deception.ts, homograph.ts): letters of other
 * scripts that look like Latin letters, each read as the ASCII letter it imitates, so `pаypal.com` (a
 * Cyrillic `а`) reads `paypal.com`. A hand-written subset of Unicode's confusables table (UTS #39, Unicode
 * Security Mechanisms, §4 Confusable Detection: https://www.unicode.org/reports/tr39/#Confusable_Detection,
 * data https://www.unicode.org/Public/security/latest/confusables.txt), of the entries that map one
 * Cyrillic, Greek, Armenian or Latin letter to one ASCII letter: the look-alikes IDN homographs are made
 * of; beside them (not all of them in UTS #39's single-letter prototypes) the Latin letters with a stroke
 * `đ ł ø`, which NFD does not split, and the Latin small capitals `ᴀ`–`ᴢ`, which read as their letters. Full-width and other compatibility forms are not here: NFKC (and a browser's host reading, UTS #46)
 * already maps them to ASCII. The table is not the whole of UTS #39 (no digits, no multi-letter forms such
 * as `rn` for `m`), so a skeleton holding a letter it does not list is simply not pure ASCII.
 */

/** Confusable → the ASCII letter it looks like (UTS #39 confusables.txt, single-letter prototypes). */
const CONFUSABLES: ReadonlyMap<string, string> = new Map([
  // Cyrillic small letters
  ['\u0430', 'a'], // а
  ['\u0435', 'e'], // е
  ['\u043e', 'o'], // о
  ['\u0440', 'p'], // р
  ['\u0441', 'c'], // с
  ['\u0443', 'y'], // у
  ['\u0445', 'x'], // х
  ['\u0455', 's'], // ѕ
  ['\u0456', 'i'], // і
  ['\u0458', 'j'], // ј
  ['\u04bb', 'h'], // һ
  ['\u04cf', 'l'], // ӏ
  ['\u0501', 'd'], // ԁ
  ['\u051b', 'q'], // ԛ
  ['\u051d', 'w'], // ԝ
  // Cyrillic capital letters (a user name is read as written; a host is lower-cased first)
  ['\u0410', 'a'], // А
  ['\u0412', 'b'], // В
  ['\u0415', 'e'], // Е
  ['\u041a', 'k'], // К
  ['\u041c', 'm'], // М
  ['\u041d', 'h'], // Н
  ['\u041e', 'o'], // О
  ['\u0420', 'p'], // Р
  ['\u0421', 'c'], // С
  ['\u0422', 't'], // Т
  ['\u0423', 'y'], // У
  ['\u0425', 'x'], // Х
  ['\u0405', 's'], // Ѕ
  ['\u0406', 'i'], // І
  ['\u0408', 'j'], // Ј
  ['\u04c0', 'l'], // Ӏ
  ['\u0500', 'd'], // Ԁ
  ['\u051a', 'q'], // Ԛ
  ['\u051c', 'w'], // Ԝ
  // Greek small letters
  ['\u03b1', 'a'], // α
  ['\u03b9', 'i'], // ι
  ['\u03ba', 'k'], // κ
  ['\u03bd', 'v'], // ν
  ['\u03bf', 'o'], // ο
  ['\u03c1', 'p'], // ρ
  ['\u03c4', 't'], // τ
  ['\u03c5', 'u'], // υ
  // Greek capital letters
  ['\u0391', 'a'], // Α
  ['\u0392', 'b'], // Β
  ['\u0395', 'e'], // Ε
  ['\u0396', 'z'], // Ζ
  ['\u0397', 'h'], // Η
  ['\u0399', 'i'], // Ι
  ['\u039a', 'k'], // Κ
  ['\u039c', 'm'], // Μ
  ['\u039d', 'n'], // Ν
  ['\u039f', 'o'], // Ο
  ['\u03a1', 'p'], // Ρ
  ['\u03a4', 't'], // Τ
  ['\u03a5', 'y'], // Υ
  ['\u03a7', 'x'], // Χ
  // Armenian
  ['\u0570', 'h'], // հ
  ['\u0578', 'n'], // ո
  ['\u057d', 'u'], // ս
  ['\u0585', 'o'], // օ
  // Latin look-alikes outside ASCII (ℓ and the like are NFKC's)
  ['\u0131', 'i'], // ı dotless i
  ['\u0237', 'j'], // ȷ dotless j
  ['\u0251', 'a'], // ɑ alpha
  ['\u0261', 'g'], // ɡ script g
  ['\u0269', 'i'], // ɩ iota
  ['\u01c0', 'l'], // ǀ dental click
  ['\u2113', 'l'], // ℓ script l (NFKC maps it too; here for text not normalised)
  // Latin letters with a stroke: NFD does not split the stroke off, so the diacritics fallback misses them
  ['\u0111', 'd'], // đ
  ['\u0110', 'd'], // Đ
  ['\u0142', 'l'], // ł
  ['\u0141', 'l'], // Ł
  ['\u00f8', 'o'], // ø
  ['\u00d8', 'o'], // Ø
  // Latin small capitals (IDNA keeps them; `ᴘaypal.com` is a valid name that reads paypal.com); x has none
  ['\u1d00', 'a'], // ᴀ
  ['\u0299', 'b'], // ʙ
  ['\u1d04', 'c'], // ᴄ
  ['\u1d05', 'd'], // ᴅ
  ['\u1d07', 'e'], // ᴇ
  ['\ua730', 'f'], // ꜰ
  ['\u0262', 'g'], // ɢ
  ['\u029c', 'h'], // ʜ
  ['\u026a', 'i'], // ɪ
  ['\u1d0a', 'j'], // ᴊ
  ['\u1d0b', 'k'], // ᴋ
  ['\u029f', 'l'], // ʟ
  ['\u1d0d', 'm'], // ᴍ
  ['\u0274', 'n'], // ɴ
  ['\u1d0f', 'o'], // ᴏ
  ['\u1d18', 'p'], // ᴘ
  ['\ua7af', 'q'], // ꞯ
  ['\u0280', 'r'], // ʀ
  ['\ua731', 's'], // ꜱ
  ['\u1d1b', 't'], // ᴛ
  ['\u1d1c', 'u'], // ᴜ
  ['\u1d20', 'v'], // ᴠ
  ['\u1d21', 'w'], // ᴡ
  ['\u028f', 'y'], // ʏ
  ['\u1d22', 'z'], // ᴢ
]);

/** How many entries the table holds (tests). */
export const CONFUSABLE_COUNT = CONFUSABLES.size;

/**
 * `s` with each confusable letter (`confusableOf`) as the ASCII letter it looks like, other characters
 * as they are, case kept (the userinfo rule tells `Invoice.zip`, a file, by its capital). `confused`: how
 * many letters were read as another script's look-alike. Never throws.
 */
export function latinReading(s: string): { text: string; confused: number } {
  let text = '';
  let confused = 0;
  for (const c of s) {
    const a = c.charCodeAt(0) < 0x80 ? undefined : confusableOf(c);
    if (a === undefined) text += c;
    else {
      text += a;
      confused++;
    }
  }
  return { text, confused };
}

/** `latinReading(s)` in lower case: the skeleton a reader compares with a host name. Never throws. */
export function skeleton(s: string): { text: string; confused: number } {
  const r = latinReading(s);
  return { text: r.text.toLowerCase(), confused: r.confused };
}

/** Combining marks (U+0300–U+036F): the diacritics NFD splits off a Latin letter. */
const COMBINING = /[\u0300-\u036f]/g;

/**
 * The ASCII letter `c` (one code point) looks like: the table's, else a Latin letter with diacritics as
 * its base letter (NFD, combining marks dropped: `ī` `è` `í` `ḇ` read `i` `e` `i` `b`), as Chromium's IDN
 * spoof checker strips diacritics before it compares a host's skeleton with its top domains (`ü` reads
 * `u`); undefined when neither reads it as one ASCII letter (`đ`, `ß`, `例`).
 */
export function confusableOf(c: string): string | undefined {
  const t = CONFUSABLES.get(c);
  if (t !== undefined) return t;
  const base = c.normalize('NFD').replace(COMBINING, '');
  return base.length === 1 && base !== c && /^[a-zA-Z]$/.test(base) ? base.toLowerCase() : undefined;
}
