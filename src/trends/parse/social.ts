/** Social JSON APIs to items: Mastodon statuses (public and hashtag timelines) and Reddit listings. */
import { AppError } from '../../core/index.js';
import { htmlToText, parseDate, type Item } from './item.js';

type Json = Record<string, unknown>;

function parseJson(body: string, where: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new AppError('FEED_MALFORMED', 'bad_request', `json: ${where} is not valid json (${(e as Error).message})`, { where });
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** `GET /api/v1/timelines/public` or `/api/v1/timelines/tag/:tag`: an array of statuses. */
export function parseMastodon(body: string, where: string): Item[] {
  const data = parseJson(body, where);
  if (!Array.isArray(data)) throw new AppError('FEED_MALFORMED', 'bad_request', `mastodon: ${where} is not an array of statuses`, { where });
  const items: Item[] = [];
  for (const s of data as Json[]) {
    if (typeof s !== 'object' || s === null || typeof s['content'] !== 'string') continue;
    const status = (s['reblog'] && typeof s['reblog'] === 'object' ? s['reblog'] : s) as Json;
    const account = (status['account'] ?? {}) as Json;
    const spoiler = str(status['spoiler_text']);
    items.push({
      title: spoiler ?? '',
      text: htmlToText(String(status['content'] ?? '')),
      url: str(status['url']) ?? str(status['uri']),
      published: parseDate(status['created_at']),
      author: str(account['acct']),
      lang: str(status['language']),
    });
  }
  return items;
}

/** A Reddit listing (`/r/<sub>/new.json`): `{ data: { children: [{ data: post }] } }`. */
export function parseReddit(body: string, where: string): Item[] {
  const data = parseJson(body, where) as Json;
  const children = (data?.['data'] as Json | undefined)?.['children'];
  if (!Array.isArray(children)) throw new AppError('FEED_MALFORMED', 'bad_request', `reddit: ${where} is not a listing (no data.children)`, { where });
  const items: Item[] = [];
  for (const c of children as Json[]) {
    const p = (c?.['data'] ?? null) as Json | null;
    if (p === null || typeof p !== 'object') continue;
    const permalink = str(p['permalink']);
    const created = typeof p['created_utc'] === 'number' ? p['created_utc'] * 1000 : null;
    items.push({
      title: String(p['title'] ?? ''),
      text: String(p['selftext'] ?? ''),
      url: permalink === null ? str(p['url']) : new URL(permalink, 'https://www.reddit.com').href,
      published: created,
      author: str(p['author']),
      lang: null,
    });
  }
  return items;
}
