/** A collected document as one RFC 5424 line for the log engine: `app:nml-trends` finds it, typed fields ride in structured data. */
import type { Lang } from './text/language.js';

const MAX_TEXT = 2000;

function sdEscape(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

export interface LogDoc {
  id: number;
  source: string;
  url: string | null;
  title: string;
  text: string;
  time: number;
  lang: Lang | string;
  types: Record<string, number>;
}

/** `<14>1 TIME trends nml-trends - doc [trends@32473 id=".." source=".." lang=".." url=".." types=".."] title — text` */
export function docLogLine(d: LogDoc): string {
  const types = Object.entries(d.types)
    .filter(([, p]) => p >= 0.5)
    .map(([t]) => t)
    .join(',');
  const sd = `[trends@32473 id="${d.id}" source="${sdEscape(d.source)}" lang="${sdEscape(d.lang)}"${d.url === null ? '' : ` url="${sdEscape(d.url)}"`}${types === '' ? '' : ` types="${types}"`}]`;
  const body = oneLine(`${d.title}${d.title !== '' && d.text !== '' ? ' — ' : ''}${d.text}`).slice(0, MAX_TEXT);
  return `<14>1 ${new Date(d.time).toISOString()} trends nml-trends - doc ${sd} ${body}`;
}
