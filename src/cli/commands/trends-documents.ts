/** `nml trends documents` (`docs`): the collected documents in `<data>/trends/docs.db`, newest first, filtered as `nml findings list` filters findings. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { AppError } from '../../core/index.js';
import { ATTACK_TYPES, CLASSIFIER_LANGUAGES, collectedDoc, COUNTED_CERTAINTY, DocStore, TREND_TEXT_CHARS, type StoredDoc, type UnreadReason } from '../../trends/index.js';
import type { Vocabulary } from '../../trends/classify/readable.js';
import { defaultConfig } from '../../config.js';
import { trendsClassifier } from '../../trends-wiring.js';
import { loadConfig, requireDataDir, type CommonFlags, DATA_HELP } from '../open.js';
import { escapeOption, oneLine, shownText, type EscapeMode } from '../output.js';
import { positiveInt, utcDay } from './args.js';

const DAY_MS = 86_400_000;

/** `<data>/trends/docs.db` */
export function docsDbPath(dataDir: string): string {
  return join(resolve(dataDir), 'trends', 'docs.db');
}

/** The command that fills `dir` with documents, said where there are none. */
export const collectHint = (dir: string): string => `nml trends collect --sources FILE --data ${dir}`;

/**
 * A data directory the trends commands that read documents are pointed at must exist: one named by
 * --data, the config or NML_DATA (a typo is not "no documents"); the default may be absent.
 */
export function requireTrendsDataDir(dir: string): void {
  if (dir !== resolve(defaultConfig().dataDir) || existsSync(dir)) requireDataDir(dir, 'trends', 'TRENDS_DATA_NOT_FOUND', `collect documents with ${collectHint(dir)}`);
}

/** `--type ddos,ransomware`, repeatable: attack type ids, each one of ATTACK_TYPES. */
function moreTypes(v: string, before: string[] | undefined): string[] {
  const named = v.split(',').map((t) => t.trim());
  const bad = named.find((t) => !(ATTACK_TYPES as readonly string[]).includes(t));
  if (bad !== undefined) throw new InvalidArgumentError(`expected attack types, comma-separated, of ${ATTACK_TYPES.join(', ')}; got '${bad.slice(0, 40)}'`);
  return [...new Set([...(before ?? []), ...named])];
}

interface DocumentsFlags extends CommonFlags {
  type?: string[];
  source?: string;
  since?: number;
  until?: number;
  limit: number;
  json?: boolean;
  escape: EscapeMode;
}

type Listed = Omit<StoredDoc, 'text'>;

/** How the Trends page counts a document: the types it counts as, most certain first, or why the classifier left it unread. */
type Reading = { types: [string, number][] } | { unread: UnreadReason; lang: string };

/**
 * The page's reading of `listed` (history.ts collectedDoc, on the head of each text the page reads): a
 * document in a language the classifier does not read, or with too few of the words it knows, counts as
 * no type whatever scores were stored when it was collected.
 */
function readings(docs: DocStore, listed: readonly Listed[], vocabulary: Vocabulary | null): Map<number, Reading> {
  const out = new Map<number, Reading>();
  for (const d of docs.heads(listed.map((x) => x.id), TREND_TEXT_CHARS)) {
    const t = collectedDoc(d, COUNTED_CERTAINTY, vocabulary);
    out.set(d.id, t.unread !== undefined ? { unread: t.unread, lang: d.lang } : { types: Object.entries(t.certainty ?? {}).sort((a, b) => b[1] - a[1]) });
  }
  return out;
}

const UNREAD_TEXT: Record<UnreadReason, (lang: string) => string> = { language: (lang) => `unread (${lang})`, few_known_words: () => 'unread (few words)' };

const plural = (n: number): string => `${n.toLocaleString('en')} document${n === 1 ? '' : 's'}`;

function row(d: Listed, r: Reading, sourceWidth: number): string {
  const typeText = 'unread' in r ? UNREAD_TEXT[r.unread](r.lang) : r.types.length === 0 ? '-' : r.types.map(([t]) => t).join(',');
  return `${new Date(d.time).toISOString().slice(0, 19)}Z  ${oneLine(d.source).padEnd(sourceWidth)}  ${typeText.padEnd(22)}  ${oneLine(d.title) || '(untitled)'}`;
}

function json(d: Listed, r: Reading): string {
  return JSON.stringify({ id: d.id, time: new Date(d.time).toISOString(), fetchedAt: new Date(d.fetchedAt).toISOString(), source: d.source, title: d.title, url: d.url, lang: d.lang, types: Object.fromEntries('unread' in r ? [] : r.types), ...('unread' in r ? { unread: r.unread } : {}) });
}

/** Documents read per step where --type must drop the ones the page leaves unread (their count is not known to SQL). */
const TYPE_PAGE = 1000;

/**
 * The newest `q.limit` documents `q` matches as the page counts them, and how many match in all. Without
 * --type SQL's count is the answer; with it, SQL's matches include documents the page leaves unread (too
 * few known words), so every match is read, a page at a time, and those are left out of both.
 */
function matching(docs: DocStore, q: Parameters<DocStore['find']>[0], vocabulary: Vocabulary | null): { shown: [Listed, Reading][]; total: number } {
  if (q.types === undefined) {
    const found = docs.find(q);
    const read = readings(docs, found.docs, vocabulary);
    return { shown: found.docs.map((d) => [d, read.get(d.id)!]), total: found.total };
  }
  const shown: [Listed, Reading][] = [];
  let total = 0;
  for (let offset = 0; ; offset += TYPE_PAGE) {
    const page = docs.findPage({ ...q, limit: TYPE_PAGE, offset });
    const read = readings(docs, page, vocabulary);
    for (const d of page) {
      const r = read.get(d.id)!;
      if ('unread' in r) continue;
      total++;
      if (shown.length < q.limit) shown.push([d, r]);
    }
    if (page.length < TYPE_PAGE) return { shown, total };
  }
}

/** Where nothing matched: the sources the file holds, when --source named none of them. */
function noneMatchText(docs: DocStore, source: string | undefined): string {
  if (source === undefined) return 'no document matches';
  const held = docs.sources();
  if (held.some((s) => s.source === source)) return 'no document matches';
  const names = held.slice(0, 10).map((s) => `${s.source} (${s.documents})`);
  return `no document matches: no documents from a source named '${oneLine(source).slice(0, 64)}'; docs.db holds ${names.length === 0 ? 'none' : `documents from ${names.join(', ')}${held.length > 10 ? ` and ${held.length - 10} more` : ''}`}`;
}

export function registerDocuments(trends: Command): void {
  trends
    .command('documents')
    .alias('docs')
    .description(
      `list the collected documents (<data>/trends/docs.db), newest first: time (UTC), source, the attack types it counts as on the Trends page (scored ${COUNTED_CERTAINTY} or more by the classifier, most certain first; '-' none; 'unread (xx)' in a language the classifier does not read, 'unread (few words)' with too few of the words it knows, as the page leaves them; the classifier is trends.models'), title. Stderr ends with how many were listed, or how many more match past --limit`,
    )
    .option('--data <dir>', `${DATA_HELP}; it holds the collected documents`)
    .option('--config <file>', 'JSON configuration file')
    .option('--type <list>', `only documents counted as these attack types, comma-separated or the option repeated (${ATTACK_TYPES.join(', ')})`, moreTypes)
    .option('--source <name>', 'only the documents of this source, its name as in the sources file')
    .option('--since <day>', 'only documents dated on or after this UTC day (YYYY-MM-DD)', utcDay)
    .option('--until <day>', 'only documents dated on or before this UTC day (YYYY-MM-DD)', utcDay)
    .option('--limit <n>', 'at most this many (when more match, stderr says how many)', positiveInt, 50)
    .option('--json', 'print JSON, one document per line: id, time, fetchedAt, source, title, url, lang, types (type: certainty), unread (language or few_known_words) where the page leaves it unread')
    .addOption(escapeOption())
    .action((flags: DocumentsFlags) => {
      const shown = shownText(flags.escape);
      if (flags.since !== undefined && flags.until !== undefined && flags.since > flags.until) {
        const day = (t: number) => new Date(t).toISOString().slice(0, 10);
        throw new AppError('TIME_SYNTAX', 'bad_request', `time: --since ${day(flags.since)} is after --until ${day(flags.until)}; swap them`, { reversed: true });
      }
      const config = loadConfig(flags);
      const dir = resolve(config.dataDir);
      requireTrendsDataDir(dir);
      const path = docsDbPath(dir);
      if (!existsSync(path)) throw new AppError('TRENDS_NO_DATA', 'not_found', `trends documents: no collected documents in ${dir} (no trends/docs.db); run ${collectHint(dir)} first`, { dataDir: dir });
      const vocabulary = trendsClassifier(config.trends)?.vectorizer ?? null;
      const docs = new DocStore(path, { readonly: true });
      try {
        const found = matching(docs, {
          from: flags.since ?? 0,
          // --until is the whole day; without it, documents the collector dated up to a day ahead too
          to: flags.until === undefined ? Number.MAX_SAFE_INTEGER : flags.until + DAY_MS,
          ...(flags.source === undefined ? {} : { source: flags.source }),
          ...(flags.type === undefined ? {} : { types: flags.type }),
          certainty: COUNTED_CERTAINTY,
          languages: CLASSIFIER_LANGUAGES,
          limit: flags.limit,
        }, vocabulary);
        const width = Math.min(24, Math.max(6, ...found.shown.map(([d]) => oneLine(d.source).length)));
        for (const [d, r] of found.shown) process.stdout.write((flags.json === true ? json(d, r) : shown(row(d, r, width))) + '\n');
        const more = found.total - found.shown.length;
        // a script reading --json wants stdout only, but not to read a page as all of them
        if (more > 0) process.stderr.write(`nml: ${plural(found.shown.length)} printed and ${more.toLocaleString('en')} more match; --limit N prints more, or narrow with --since, --until, --type, --source\n`);
        else if (flags.json !== true) process.stderr.write(shown(`nml: ${found.total === 0 ? noneMatchText(docs, flags.source) : plural(found.total)}`) + '\n');
      } finally {
        docs.close();
      }
    });
}
