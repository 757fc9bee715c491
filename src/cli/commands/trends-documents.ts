/** `nml trends documents` (`docs`): the collected documents in `<data>/trends/docs.db`, newest first, filtered as `nml findings list` filters findings. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { AppError } from '../../core/index.js';
import { ATTACK_TYPES, CLASSIFIER_LANGUAGES, COUNTED_CERTAINTY, DocStore, type StoredDoc } from '../../trends/index.js';
import { defaultConfig } from '../../config.js';
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

/** The attack types a document counts as (the page's reading), most certain first; null when the classifier cannot read its language. */
function detectedTypes(d: Listed): [string, number][] | null {
  if (!CLASSIFIER_LANGUAGES.includes(d.lang)) return null;
  return Object.entries(d.types)
    .filter(([, p]) => p >= COUNTED_CERTAINTY)
    .sort((a, b) => b[1] - a[1]);
}

const plural = (n: number): string => `${n.toLocaleString('en')} document${n === 1 ? '' : 's'}`;

function row(d: Listed, sourceWidth: number): string {
  const types = detectedTypes(d);
  const typeText = types === null ? `unread (${d.lang})` : types.length === 0 ? '-' : types.map(([t]) => t).join(',');
  return `${new Date(d.time).toISOString().slice(0, 19)}Z  ${oneLine(d.source).padEnd(sourceWidth)}  ${typeText.padEnd(22)}  ${oneLine(d.title) || '(untitled)'}`;
}

function json(d: Listed): string {
  const types = detectedTypes(d);
  return JSON.stringify({ id: d.id, time: new Date(d.time).toISOString(), fetchedAt: new Date(d.fetchedAt).toISOString(), source: d.source, title: d.title, url: d.url, lang: d.lang, types: Object.fromEntries(types ?? []), ...(types === null ? { unread: 'language' } : {}) });
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
      `list the collected documents (<data>/trends/docs.db), newest first: time (UTC), source, the attack types it counts as on the Trends page (scored ${COUNTED_CERTAINTY} or more by the classifier, most certain first; '-' none; 'unread (xx)' in a language the classifier does not read), title. Stderr ends with how many were listed, or how many more match past --limit`,
    )
    .option('--data <dir>', `${DATA_HELP}; it holds the collected documents`)
    .option('--config <file>', 'JSON configuration file')
    .option('--type <list>', `only documents counted as these attack types, comma-separated or the option repeated (${ATTACK_TYPES.join(', ')})`, moreTypes)
    .option('--source <name>', 'only the documents of this source, its name as in the sources file')
    .option('--since <day>', 'only documents dated on or after this UTC day (YYYY-MM-DD)', utcDay)
    .option('--until <day>', 'only documents dated on or before this UTC day (YYYY-MM-DD)', utcDay)
    .option('--limit <n>', 'at most this many (when more match, stderr says how many)', positiveInt, 50)
    .option('--json', 'print JSON, one document per line: id, time, fetchedAt, source, title, url, lang, types (type: certainty), unread where its language is not read')
    .addOption(escapeOption())
    .action((flags: DocumentsFlags) => {
      const shown = shownText(flags.escape);
      if (flags.since !== undefined && flags.until !== undefined && flags.since > flags.until) {
        const day = (t: number) => new Date(t).toISOString().slice(0, 10);
        throw new AppError('TIME_SYNTAX', 'bad_request', `time: --since ${day(flags.since)} is after --until ${day(flags.until)}; swap them`, { reversed: true });
      }
      const dir = resolve(loadConfig(flags).dataDir);
      requireTrendsDataDir(dir);
      const path = docsDbPath(dir);
      if (!existsSync(path)) throw new AppError('TRENDS_NO_DATA', 'not_found', `trends documents: no collected documents in ${dir} (no trends/docs.db); run ${collectHint(dir)} first`, { dataDir: dir });
      const docs = new DocStore(path);
      try {
        const found = docs.find({
          from: flags.since ?? 0,
          // --until is the whole day; without it, documents the collector dated up to a day ahead too
          to: flags.until === undefined ? Number.MAX_SAFE_INTEGER : flags.until + DAY_MS,
          ...(flags.source === undefined ? {} : { source: flags.source }),
          ...(flags.type === undefined ? {} : { types: flags.type }),
          certainty: COUNTED_CERTAINTY,
          languages: CLASSIFIER_LANGUAGES,
          limit: flags.limit,
        });
        const width = Math.min(24, Math.max(6, ...found.docs.map((d) => oneLine(d.source).length)));
        for (const d of found.docs) process.stdout.write((flags.json === true ? json(d) : shown(row(d, width))) + '\n');
        const more = found.total - found.docs.length;
        // a script reading --json wants stdout only, but not to read a page as all of them
        if (more > 0) process.stderr.write(`nml: ${plural(found.docs.length)} printed and ${more.toLocaleString('en')} more match; --limit N prints more, or narrow with --since, --until, --type, --source\n`);
        else if (flags.json !== true) process.stderr.write(shown(`nml: ${found.total === 0 ? noneMatchText(docs, flags.source) : plural(found.total)}`) + '\n');
      } finally {
        docs.close();
      }
    });
}
