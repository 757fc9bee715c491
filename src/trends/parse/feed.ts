/** RSS 2.0, RSS 1.0 (RDF) and Atom feeds to items; a malformed feed is an AppError `FEED_MALFORMED`. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../core/index.js';
import { htmlToText, parseDate, type Item } from './item.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  processEntities: true,
  htmlEntities: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link' || name === 'category',
});

type Node = Record<string, unknown>;

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as Node)['#text']);
  return '';
}

function atomLink(links: unknown): string | null {
  if (!Array.isArray(links)) return null;
  let first: string | null = null;
  for (const l of links as unknown[]) {
    if (typeof l === 'string') return l;
    const n = l as Node;
    const href = typeof n['@_href'] === 'string' ? n['@_href'] : null;
    if (href === null) continue;
    if (n['@_rel'] === undefined || n['@_rel'] === 'alternate') return href;
    first ??= href;
  }
  return first;
}

function rssItem(n: Node, lang: string | null): Item {
  const links = n['link'];
  const link = Array.isArray(links) ? text(links[0]) : text(links);
  return {
    title: htmlToText(text(n['title'])),
    text: htmlToText(text(n['content:encoded']) || text(n['description'])),
    url: link || text(n['guid']) || null,
    published: parseDate(text(n['pubDate']) || text(n['dc:date'])),
    author: text(n['author']) || text(n['dc:creator']) || null,
    lang,
  };
}

function atomEntry(n: Node, lang: string | null): Item {
  const author = n['author'] as Node | undefined;
  return {
    title: htmlToText(text(n['title'])),
    text: htmlToText(text(n['content']) || text(n['summary'])),
    url: atomLink(n['link']),
    published: parseDate(text(n['published']) || text(n['updated'])),
    author: author === undefined ? null : text(author['name']) || null,
    lang: typeof n['@_xml:lang'] === 'string' ? (n['@_xml:lang'] as string) : lang,
  };
}

function langOf(v: unknown): string | null {
  const s = text(v).trim();
  return s === '' ? null : s.toLowerCase().split(/[-_]/)[0] ?? null;
}

export function parseFeed(xml: string, where: string): Item[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new AppError('FEED_MALFORMED', 'bad_request', `feed: ${where} is not well-formed xml (line ${valid.err.line}: ${valid.err.msg})`, { where });
  }
  let doc: Node;
  try {
    // the validator passes some inputs the parser refuses (an unclosed `<![` inside an element)
    doc = parser.parse(xml) as Node;
  } catch (e) {
    throw new AppError('FEED_MALFORMED', 'bad_request', `feed: ${where} is not well-formed xml (${(e as Error).message})`, { where }, e);
  }
  const rss = doc['rss'] as Node | undefined;
  if (rss !== undefined) {
    const channel = (rss['channel'] ?? {}) as Node;
    const lang = langOf(channel['language']);
    return ((channel['item'] ?? []) as Node[]).map((n) => rssItem(n, lang));
  }
  const feed = doc['feed'] as Node | undefined;
  if (feed !== undefined) {
    const lang = langOf(feed['@_xml:lang']);
    return ((feed['entry'] ?? []) as Node[]).map((n) => atomEntry(n, lang));
  }
  const rdf = doc['rdf:RDF'] as Node | undefined;
  if (rdf !== undefined) {
    const channel = (rdf['channel'] ?? {}) as Node;
    const lang = langOf(channel['dc:language']);
    return ((rdf['item'] ?? []) as Node[]).map((n) => rssItem(n, lang));
  }
  throw new AppError('FEED_MALFORMED', 'bad_request', `feed: ${where} is xml but neither rss nor atom (root: ${Object.keys(doc).filter((k) => k !== '?xml')[0] ?? 'none'})`, { where });
}
