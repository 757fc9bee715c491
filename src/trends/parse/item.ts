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

/** A fragment of HTML (a feed summary, a toot) as plain text; script and style contents dropped. */
export function htmlToText(html: string): string {
  const noCode = html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  const text = noCode.replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr|td|th|blockquote|pre|section|article)>/gi, '\n').replace(/<[^>]*>/g, ' ');
  return decodeEntities(text).replace(/[ \t\r\f\v]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}

/** Parses a date string to ms; null when it is not a date. */
export function parseDate(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const t = Date.parse(v.trim());
  return Number.isNaN(t) ? null : t;
}
