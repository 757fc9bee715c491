/**
 * Articles: a folder of text, Markdown and HTML (threat reports, advisories, notes) indexed by the
 * addresses and domain names they mention, defanged forms included (`evil[.]example`, `hxxp://`), so that
 * a pivot on a domain or an address lists what is written about it (a domain also finds articles about
 * its parents).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { domainName, parseIp } from '../core/index.js';
import { FolderSource } from './folder-source.js';

export interface ArticleRef {
  /** path relative to the articles folder */
  path: string;
  title: string;
}

const EXTENSIONS = new Set(['.txt', '.md', '.markdown', '.html', '.htm']);
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 8;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Visible text of an HTML page (scripts, styles and tags removed, common entities decoded). */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** Undoes the usual defanging of indicators in reports: `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `hxxp`. */
export function refang(text: string): string {
  return text
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\bhxxp(s?):\/\//gi, 'http$1://');
}

const TOKEN = /[a-z0-9][a-z0-9._:-]*[a-z0-9]/gi;

/** A trailing `:port` (`203.0.113.9:443`, `evil.example:8443`). */
const PORT_SUFFIX = /:\d{1,5}$/;

/** The entity key of one token, or null. */
function mention(t: string): string | null {
  const ip = parseIp(t);
  if (ip !== null) return 'ip:' + ip.text;
  if (t.indexOf(':') >= 0) return null;
  const d = domainName(t);
  return d === null ? null : 'domain:' + d;
}

/** Entity keys (`ip:…`, `domain:…`) mentioned in plain text; an address or name written with a port counts. */
export function mentions(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of refang(text).matchAll(TOKEN)) {
    const t = m[0];
    if (t.indexOf('.') < 0 && t.indexOf(':') < 0) continue;
    // an address or name with a port (`203.0.113.9:443`, `https://evil.example:8443/x`): read without it;
    // an IPv6 address that parses whole (`2001:db8::443`) is taken as written
    const key = mention(t) ?? (PORT_SUFFIX.test(t) ? mention(t.replace(PORT_SUFFIX, '')) : null);
    if (key !== null) out.add(key);
  }
  return out;
}

function titleOf(text: string, html: string | null, file: string): string {
  const t = html === null ? null : /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  if (t !== null && t !== undefined && t.trim() !== '') return htmlText(t).trim().replace(/\s+/g, ' ').slice(0, 200);
  const heading = /^#{1,3}\s+(.+)$/m.exec(text)?.[1];
  if (heading !== undefined) return heading.trim().slice(0, 200);
  const first = text.split('\n').find((l) => l.trim() !== '');
  return (first ?? file).trim().slice(0, 200);
}

export class ArticleIndex {
  readonly articles: ArticleRef[] = [];
  private readonly byEntity = new Map<string, number[]>();

  add(ref: ArticleRef, text: string): void {
    const id = this.articles.length;
    this.articles.push(ref);
    for (const key of mentions(text)) {
      let list = this.byEntity.get(key);
      if (list === undefined) this.byEntity.set(key, (list = []));
      list.push(id);
    }
  }

  get entities(): number {
    return this.byEntity.size;
  }

  /** Articles mentioning the entity; for a domain, also those mentioning one of its parents. */
  lookup(key: string): ArticleRef[] {
    const ids = new Set<number>();
    const add = (k: string): void => {
      for (const id of this.byEntity.get(k) ?? []) ids.add(id);
    };
    if (key.startsWith('domain:')) {
      const labels = key.slice(7).split('.');
      for (let i = 0; i + 2 <= labels.length; i++) add('domain:' + labels.slice(i).join('.'));
    } else add(key);
    return [...ids].sort((a, b) => a - b).map((id) => this.articles[id]!);
  }
}

/** Reads every article under `dir` (unreadable or oversized files are skipped and counted). */
export async function loadArticleDir(dir: string): Promise<{ value: ArticleIndex; details: { files: number; skipped: number } }> {
  const index = new ArticleIndex();
  let skipped = 0;
  const walk = (d: string, depth: number): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) walk(p, depth + 1);
        continue;
      }
      const ext = extname(e.name).toLowerCase();
      if (!e.isFile() || !EXTENSIONS.has(ext)) continue;
      try {
        if (statSync(p).size > MAX_BYTES) {
          skipped++;
          continue;
        }
        const raw = readFileSync(p, 'utf8');
        const html = ext === '.html' || ext === '.htm' ? raw : null;
        const text = html === null ? raw : htmlText(html);
        index.add({ path: relative(dir, p).split('\\').join('/'), title: titleOf(text, html, e.name) }, text);
      } catch {
        skipped++;
      }
    }
  };
  walk(dir, 0);
  return { value: index, details: { files: index.articles.length, skipped } };
}

export class Articles extends FolderSource<ArticleIndex, { files: number; skipped: number }> {
  constructor(dir: string | null) {
    super(dir, new ArticleIndex(), loadArticleDir);
  }
}
