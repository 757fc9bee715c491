/** `nml assist list`, `show ID`, `delete ID`: the incident base (`<data>/assist/incidents.db`) browsed and corrected. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError, isAppError } from '../../core/index.js';
import { incidentBasePath } from '../../assist-wiring.js';
import { Assistant, IncidentBase, notInBase, recordRows, type Incident, type IncidentRecord, type IncidentSummary } from '../../assist/index.js';
import { parseTimeExpr } from '../../search/index.js';
import { loadConfig, requireDataDir, type CommonFlags, DATA_HELP } from '../open.js';
import { escapeOption, oneLine, shownText, writeOut, type EscapeMode } from '../output.js';
import { positiveInt } from './args.js';

/** The normalized record as `nml assist normalize` prints it; `shown` is applied to each line (the values are the report's text). */
export function recordText(rec: IncidentRecord, shown: (text: string) => string): string {
  const lines = [`format: ${rec.format}`];
  // the page's order too (record-view.ts)
  const rows = recordRows(rec);
  for (const [name, f] of rows.fields) lines.push(`${name}: ${f.value}   [${f.from.part} ${f.from.start}-${f.from.end}]`);
  for (const { name, items } of rows.lists) for (const f of items) lines.push(`${name}: ${f.value}   [${f.from.part} ${f.from.start}-${f.from.end}]`);
  for (const [k, f] of rows.extra) lines.push(`extra ${k}: ${f.value.replace(/\n/g, ' ')}`);
  for (const w of rec.warnings ?? []) lines.push(`warning: ${w}`);
  return lines.map(shown).join('\n') + '\n';
}

/**
 * The data directory's incident base, or null where it has none yet: these commands create nothing (a typo
 * in --data is said, not answered with an empty base).
 */
function existingBase(flags: CommonFlags): { base: IncidentBase | null; dir: string } {
  const dir = resolve(loadConfig(flags).dataDir);
  requireDataDir(dir, 'assist', 'ASSIST_DATA_NOT_FOUND', `import incidents with nml assist import --data ${dir}`);
  const path = incidentBasePath(dir);
  return { base: existsSync(path) ? new IncidentBase(path) : null, dir };
}

const savedText = (saved: number | null): string => (saved === null ? 'unknown' : `${new Date(saved).toISOString().slice(0, 19)}Z`);
const plural = (n: number): string => `${n.toLocaleString('en')} incident${n === 1 ? '' : 's'}`;
const bySource = (sources: Record<string, number>): string =>
  Object.entries(sources)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([s, n]) => `${s} ${n.toLocaleString('en')}`)
    .join(', ');

/** `--since`: a time as search's --from takes it (2026-12-01, -7d, epoch ms), its errors naming the option. */
function sinceTime(text: string): number {
  try {
    return parseTimeExpr(text, Date.now());
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TIME_SYNTAX') throw e;
    throw new AppError(e.code, e.kind, `assist list: --since: ${e.message}`, e.details, e);
  }
}

function row(x: IncidentSummary, sourceWidth: number): string {
  return `${savedText(x.saved).padEnd(20)}  ${oneLine(x.source).padEnd(sourceWidth)}  ${oneLine(x.id)}  ${oneLine(x.title).slice(0, 120) || '(untitled)'}`;
}

/** Every stored field of an incident but its record, one `name: value` line each (lists one line per item). */
function incidentText(x: Incident, saved: number | null): string[] {
  const lines = [`id: ${x.id}`, `source: ${x.source}`, `title: ${oneLine(x.title)}`, `time: ${x.time ?? 'none given'}`, `saved: ${savedText(saved)}`];
  if (x.labels.length > 0) lines.push(`labels: ${x.labels.join(', ')}`);
  for (const [name, v] of [['first action', x.firstAction], ['countermeasure', x.countermeasure], ['outcome', x.outcome]] as const) if (v !== null) lines.push(`${name}: ${oneLine(v)}`);
  for (const s of x.steps) lines.push(`step: ${oneLine(s)}`);
  return lines;
}

interface ListFlags extends CommonFlags {
  source?: string;
  match?: string;
  since?: string;
  limit: number;
  json?: boolean;
  escape: EscapeMode;
}

export function registerAssistBase(assist: Command): void {
  assist
    .command('list')
    .description('list the incident base, newest saved first: when saved (UTC), source, id, title. Stderr ends with how many match and the base\'s incidents by source, or how many more match past --limit')
    .option('--source <name>', 'only this source (vcdb, casie, hackmageddon, report for saved reports, demo)')
    .option('--match <text>', 'only incidents whose title or summary holds this text (any case)')
    .option('--since <time>', 'only incidents saved at or after this time (2026-12-01, -7d, an ISO time, epoch ms); incidents saved before the base kept the time are left out')
    .option('--limit <n>', 'at most this many (when more match, stderr says how many)', positiveInt, 50)
    .option('--json', 'print JSON, one incident per line: id, source, title, time (as the report gives it), saved (ISO, or null)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .addOption(escapeOption())
    .action(async (flags: ListFlags) => {
      const since = flags.since === undefined ? undefined : sinceTime(flags.since);
      const { base, dir } = existingBase(flags);
      if (base === null) {
        process.stderr.write(`nml: the incident base is empty (${dir} has no assist/incidents.db); fill it with nml assist import --data ${dir}\n`);
        return;
      }
      try {
        const found = base.list({ source: flags.source, match: flags.match, since, limit: flags.limit });
        const shown = shownText(flags.escape);
        const width = Math.min(16, Math.max(6, ...found.incidents.map((x) => oneLine(x.source).length)));
        let out = '';
        for (const x of found.incidents) out += (flags.json === true ? JSON.stringify({ ...x, saved: x.saved === null ? null : new Date(x.saved).toISOString() }) : shown(row(x, width))) + '\n';
        await writeOut(out);
        const more = found.total - found.incidents.length;
        const held = base.countBySource();
        // a script reading --json wants stdout only, but not to read a page as all of them
        if (more > 0) process.stderr.write(`nml: ${plural(found.incidents.length)} printed and ${more.toLocaleString('en')} more match; --limit N prints more, or narrow with --source, --match, --since\n`);
        else if (flags.json !== true) process.stderr.write(shown(`nml: ${found.total === 0 ? 'no incident matches' : `${plural(found.total)} listed`}; the base holds ${base.count() === 0 ? 'none' : bySource(held)}`) + '\n');
      } finally {
        base.close();
      }
    });

  assist
    .command('show')
    .description('print one incident of the base: id, source, title, time, when saved, labels, the response; a saved report\'s normalized record, else its text')
    .argument('<id>', 'as nml assist list prints it (report:…, vcdb:…)')
    .option('--json', 'print the stored incident as JSON (JSON-escaped: --escape does not apply)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .addOption(escapeOption())
    .action(async (id: string, flags: CommonFlags & { json?: boolean; escape: EscapeMode }) => {
      const { base } = existingBase(flags);
      if (base === null) throw notInBase(id);
      try {
        const { incident, saved } = new Assistant({ base }).stored(id);
        if (flags.json === true) {
          await writeOut(JSON.stringify({ incident, saved: saved === null ? null : new Date(saved).toISOString() }, null, 2) + '\n');
          return;
        }
        const shown = shownText(flags.escape);
        const head = incidentText(incident, saved).map(shown).join('\n') + '\n';
        const body = incident.record !== undefined ? recordText(incident.record, shown) : `text:\n${incident.text.split('\n').map(shown).join('\n')}\n`;
        await writeOut(`${head}\n${body}`);
      } finally {
        base.close();
      }
    });

  assist
    .command('delete')
    .description('remove one incident from the base (asks nothing; prints what it removed), or with --source every incident of a source; a running nml serve stops returning it as a similar incident')
    .argument('[id]', 'as nml assist list prints it')
    .option('--source <name>', 'remove every incident of this source instead (report: every saved report)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .addOption(escapeOption())
    .action(async (id: string | undefined, flags: CommonFlags & { source?: string; escape: EscapeMode }) => {
      if (id === undefined && flags.source === undefined) throw new AppError('ASSIST_NO_INPUT', 'bad_request', 'assist delete: give an incident id (nml assist list prints them), or --source NAME');
      if (id !== undefined && flags.source !== undefined) throw new AppError('ASSIST_TWO_INPUTS', 'bad_request', `assist delete: both an incident id (${oneLine(id).slice(0, 200)}) and --source were given; give one of them`, { id });
      const { base } = existingBase(flags);
      if (base === null) throw id !== undefined ? notInBase(id) : noSuchSource(flags.source as string, {});
      try {
        const assistant = new Assistant({ base });
        const shown = shownText(flags.escape);
        if (id !== undefined) {
          const gone = assistant.remove(id);
          if (gone === null) throw notInBase(id);
          await writeOut(shown(`deleted ${gone.id} (${gone.source}, saved ${savedText(gone.saved)}): ${oneLine(gone.title)}`) + '\n');
          return;
        }
        const source = flags.source as string;
        const n = assistant.removeSource(source);
        if (n === 0) throw noSuchSource(source, base.countBySource());
        await writeOut(shown(`deleted ${plural(n)} of source ${source}; the base holds ${base.count() === 0 ? 'none' : bySource(base.countBySource())}`) + '\n');
      } finally {
        base.close();
      }
    });
}

function noSuchSource(source: string, held: Record<string, number>): AppError {
  const names = Object.keys(held).length === 0 ? 'none' : bySource(held);
  return new AppError('ASSIST_INCIDENT_NOT_FOUND', 'not_found', `assist delete: no incident of source '${oneLine(source).slice(0, 64)}' in the incident base; it holds ${names}`, { source });
}
