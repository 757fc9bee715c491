/** What every parser returns: one document found in a feed, a timeline, a listing or a page. */
export interface Item {
  title: string;
  /** readable text, tags removed */
  text: string;
  url: string | null;
  /** ms since epoch when the source gives one */
  published: number | null;
  author: string | null;
  /** language the source declares (BCP 47 primary tag), if any */
  lang: string | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes the HTML entities feeds use (named basics and numeric). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The closing tags of the elements whose contents are dropped. */
const CODE_CLOSE: Record<string, RegExp> = { script: /<\/script\s*>/gi, style: /<\/style\s*>/gi };

/**
 * Drops `<script …>…</script>` and `<style …>…</style>` (each to its first closing tag), leaving a space.
 * One pass: an element without a closing tag stays as it is, and after one miss that tag is not looked for again.
 */
function dropCode(html: string): string {
  const open = /<(script|style)\b/gi;
  const unclosed = new Set<string>();
  let out = '';
  let last = 0;
  for (let m = open.exec(html); m !== null; m = open.exec(html)) {
    const tag = (m[1] as string).toLowerCase();
    if (unclosed.has(tag)) continue;
    const close = CODE_CLOSE[tag] as RegExp;
    close.lastIndex = open.lastIndex;
    const c = close.exec(html);
    if (c === null) {
      unclosed.add(tag);
      continue;
    }
    out += html.slice(last, m.index) + ' ';
    last = open.lastIndex = c.index + c[0].length;
  }
  return out + html.slice(last);
}

/** Each `<…>` (from a `<` to the first `>` after it) as a space; from a `<` that no `>` follows, the rest is kept as it is. */
function dropTags(html: string): string {
  let out = '';
  let last = 0;
  for (;;) {
    const lt = html.indexOf('<', last);
    if (lt < 0) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    out += html.slice(last, lt) + ' ';
    last = gt + 1;
  }
  return out + html.slice(last);
}

/**
 * A fragment of HTML (a feed summary, a toot) as plain text; script and style contents dropped.
 * Linear in the input (pages come from anywhere): no pattern here rescans text after a failed match.
 */
export function htmlToText(html: string): string {
  const breaks = dropCode(html).replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr|td|th|blockquote|pre|section|article)>/gi, '\n');
  const text = decodeEntities(dropTags(breaks)).replace(/[ \t\r\f\v]+/g, ' ');
  // a run of whitespace with a line break in it becomes that one break (`\s*\n\s*` rescans runs without one)
  return text.replace(/\s+/g, (ws) => (ws.includes('\n') ? '\n' : ws)).trim();
}

// a zone at the end: Z, an offset (+02:00, +0200, GMT+0200), or a name Date.parse knows; a trailing "(…)" comment aside
const TRAILING_ZONE = /(?:\d[zZ]|[+-]\d{2}:?\d{2}|\b(?:UTC?|GMT|[ECMP][SD]T)\b)\s*(?:\([^)]*\))?$/i;

/**
 * Parses a date string to ms; null when it is not a date. A date without a time zone
 * (`2024-01-02T10:00:00`, `Tue, 02 Jan 2024 10:00:00`, `Jan 2, 2024`) is UTC: Date.parse would read
 * most of these in the server's local zone, so the same feed item got a different time per machine.
 */
export function parseDate(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const s = v.trim();
  if (!TRAILING_ZONE.test(s)) {
    // ISO forms take a "Z", the others a " GMT"; each makes the other form invalid, so at most one parses
    for (const zoned of [`${s}Z`, `${s} GMT`]) {
      const t = Date.parse(zoned);
      if (!Number.isNaN(t)) return t;
    }
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}
