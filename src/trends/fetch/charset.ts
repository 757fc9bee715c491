/** Bytes to text: the charset from BOM, Content-Type, XML declaration or HTML meta, checked against the bytes (Shift_JIS, EUC-JP, ISO-2022-JP …). */
import iconv from 'iconv-lite';
import Encoding from 'encoding-japanese';

export interface Decoded {
  text: string;
  /** the charset used, lowercase */
  charset: string;
  /** true when the declared charset did not match the bytes and another was used */
  mismatch: boolean;
}

const ALIASES: Record<string, string> = {
  'utf8': 'utf-8',
  'shift-jis': 'shift_jis',
  'sjis': 'shift_jis',
  'x-sjis': 'shift_jis',
  'ms_kanji': 'shift_jis',
  'windows-31j': 'shift_jis',
  'cp932': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  'eucjp': 'euc-jp',
  'iso2022jp': 'iso-2022-jp',
  'csiso2022jp': 'iso-2022-jp',
  'latin1': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'us-ascii': 'windows-1252',
};

function normalize(label: string): string {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  return ALIASES[l] ?? l;
}

/** The charset a document declares, in order: Content-Type header, XML declaration, HTML meta. */
export function declaredCharset(body: Buffer, contentType: string | undefined): string | null {
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  if (fromHeader?.[1]) return normalize(fromHeader[1]);
  const head = body.subarray(0, 4096).toString('latin1');
  const xml = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml?.[1]) return normalize(xml[1]);
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  if (meta?.[1]) return normalize(meta[1]);
  return null;
}

function bomCharset(body: Buffer): string | null {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(body: Buffer): boolean {
  try {
    strictUtf8.decode(body);
    return true;
  } catch {
    return false;
  }
}

/** Japanese encodings detected from the bytes; null when the bytes look like none of them. */
function sniffJapanese(body: Buffer): string | null {
  const sample = body.subarray(0, 64 * 1024);
  const found = Encoding.detect(sample);
  if (found === 'SJIS') return 'shift_jis';
  if (found === 'EUCJP') return 'euc-jp';
  if (found === 'JIS') return 'iso-2022-jp';
  return null;
}

function decodeAs(body: Buffer, charset: string): string | null {
  if (charset === 'utf-8') return body.toString('utf8').replace(/^\uFEFF/, '');
  if (charset === 'iso-2022-jp') {
    return Encoding.convert(body, { to: 'UNICODE', from: 'JIS', type: 'string' });
  }
  if (!iconv.encodingExists(charset)) return null;
  return iconv.decode(body, charset === 'shift_jis' ? 'cp932' : charset);
}

/** Never throws: an unknown or wrong charset falls back to what the bytes look like, then UTF-8 with U+FFFD. */
export function decodeBody(body: Buffer, contentType: string | undefined): Decoded {
  const bom = bomCharset(body);
  if (bom !== null) return { text: decodeAs(body.subarray(bom === 'utf-8' ? 3 : 2), bom) ?? '', charset: bom, mismatch: false };
  const declared = declaredCharset(body, contentType);
  const utf8 = isUtf8(body);
  const ascii7 = !body.some((b) => b > 0x7f);
  // ISO-2022-JP is 7-bit: it passes as UTF-8 and ASCII, so check for its escapes first
  if ((declared === 'iso-2022-jp' || declared === null || declared === 'utf-8') && ascii7 && body.includes(0x1b)) {
    const jis = sniffJapanese(body);
    if (jis === 'iso-2022-jp') return { text: decodeAs(body, jis) ?? '', charset: jis, mismatch: declared !== null && declared !== jis };
  }
  if (declared !== null && declared !== 'utf-8') {
    // non-ASCII bytes that are valid UTF-8 are UTF-8 whatever the label says: Latin-1 text almost never
    // forms valid multi-byte sequences, and servers label UTF-8 as ISO-8859-1 or us-ascii by default
    const fitsBytes = !(utf8 && !ascii7);
    const text = fitsBytes ? decodeAs(body, declared) : null;
    if (text !== null) return { text, charset: declared, mismatch: false };
  }
  if (utf8) return { text: body.toString('utf8'), charset: 'utf-8', mismatch: declared !== null && declared !== 'utf-8' };
  const sniffed = sniffJapanese(body);
  if (sniffed !== null) return { text: decodeAs(body, sniffed) ?? '', charset: sniffed, mismatch: declared !== null };
  return { text: body.toString('utf8'), charset: 'utf-8', mismatch: declared !== null };
}
