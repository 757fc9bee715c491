/** A web page to its readable text (linkedom + Readability), falling back to the tag stripper when the DOM is unusable. */
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import { htmlToText, parseDate, type Item } from './item.js';

/** Pages above this many characters skip Readability (its cost grows with the DOM) and use the tag stripper. */
const READABILITY_MAX_CHARS = 2_000_000;

function stripped(html: string, url: string): Item {
  return { title: '', text: htmlToText(html).slice(0, 200_000), url, published: null, author: null, lang: null };
}

function readable(html: string, url: string): Item {
  // linkedom makes the first element the document element: give fragments a whole document
  const whole = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document } = parseHTML(whole);
  const lang = document.documentElement?.getAttribute('lang')?.toLowerCase().split('-')[0] ?? null;
  const metaTime = document.querySelector('meta[property="article:published_time"]')?.getAttribute('content') ?? null;
  const title = document.querySelector('title')?.textContent?.trim() ?? '';
  const bodyHtml = document.body?.innerHTML ?? html;
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 100 }).parse();
  const text = (article?.content ? htmlToText(article.content) : '') || htmlToText(bodyHtml);
  return { title: article?.title?.trim() || title, text, url, published: parseDate(metaTime), author: article?.byline ?? null, lang: lang || null };
}

export function parsePage(html: string, url: string): Item[] {
  if (html.length > READABILITY_MAX_CHARS) return [stripped(html, url)];
  try {
    return [readable(html, url)];
  } catch {
    return [stripped(html, url)];
  }
}
