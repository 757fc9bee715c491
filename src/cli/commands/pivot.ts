/** `nml pivot ENTITY`: the neighbours of an entity by relation (or, with --scope, the hosts that share its destinations). */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../core/index.js';
import { parseEntity, type BlocklistStatus, type Identity, type PivotResult, type ScopeResult } from '../../investigate/index.js';
import { RELATIONS_DIR } from '../../store/index.js';
import { openInvestigator } from '../../open-investigator.js';
import { isDirectory, loadConfig, requireStore, type CommonFlags, DATA_HELP } from '../open.js';
import { escapeOption, shownText, writeOut, type EscapeMode } from '../output.js';
import { positiveInt } from './args.js';
import { addRangeOptions, rangeOf } from './range.js';

interface PivotFlags extends CommonFlags {
  from?: string;
  to?: string;
  limit: number;
  scope?: boolean;
  json?: boolean;
  blocklists?: string;
  articles?: string;
  escape: EscapeMode;
}

const HELP = `
Entities: ip:10.0.0.5  domain:evil.example  mac:aa:bb:cc:dd:ee:ff  user:alice  port:443  host:ws-01  sig:"ET MALWARE ..."
  url:evil.example/x  (a URL finding's entity, the URL without its scheme: pivots on its host, here domain:evil.example)
(a bare address or domain name works too). Relations: query (host → domain), request (host → domain:
a web page or TLS session asked for by name), resolve (domain → address: a DNS answer, or the address
a URL-filter, HTTP or TLS log says the name was served at),
flow / blocked (address → address), service (address → port), lease (address → device), hostname,
login / login_failed (address or device → user), user (firewall user mapping), alert (IDS), alias
(an account → a qualified name it is written as: user:alice → user:corp\\alice; a pivot on the
account also lists the qualified names' neighbours, each marked "as corp\\alice").
Each neighbour comes with a search that shows its lines: nml search --from F --to T 'QUERY'
(a QUERY of your own that starts with '-' goes after --: nml search --from F --to T -- '-cron sshd').
`;

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * Who is behind an address: the current holder's names first, each with when it was last seen, then
 * in brackets an earlier holder's (an address changes hands: `[earlier: user olduser (last …)]`).
 * `times: false` leaves the times out (the one-line who of `nml findings who`).
 */
export function identityText(id: Identity | null | undefined, times = true): string {
  if (id === null || id === undefined) return '';
  const when = new Map((id.seen ?? []).map((s) => [`${s.kind}:${s.name}`, s]));
  const now: string[] = [];
  const before: string[] = [];
  for (const [kind, names] of [['user', id.users], ['host', id.hosts], ['mac', id.macs]] as const) {
    const cur: string[] = [];
    const old: string[] = [];
    for (const n of names) {
      const s = when.get(`${kind}:${n}`);
      (s?.earlier === true ? old : cur).push(s === undefined || !times ? n : `${n} (last ${iso(s.last)})`);
    }
    if (cur.length > 0) now.push(`${kind} ${cur.join(', ')}`);
    if (old.length > 0) before.push(`${kind} ${old.join(', ')}`);
  }
  if (before.length > 0) now.push(`[earlier: ${before.join('; ')}]`);
  return now.join('; ');
}

/**
 * What the tables say when no blocklist is loaded (null when one is), as the Investigate page's scope
 * table does: without it no BLOCKLISTED mark read as "none of these is on a blocklist". An operator walk
 * pivoted over `nml serve --demo`'s data: the page flagged its command-and-control domain (the demo's
 * feed is held in that server only, not on disk) and `nml pivot` on the same directory said nothing.
 */
export function noBlocklistNote(b: Pick<BlocklistStatus, 'dir' | 'error' | 'missing' | 'counts'>, demoData = false): string | null {
  if (b.counts.ips + b.counts.networks + b.counts.domains > 0) return null;
  const where = b.dir ?? 'no blocklist folder';
  const why = b.error !== null ? `${where} could not be read (${b.error})` : b.missing ? `${where} does not exist` : `${where} holds no entry`;
  const demo = demoData ? "; nml serve --demo's built-in feed (demo-threat-feed) comes with its configuration: pass --config FILE with demo.enabled to see it" : '';
  return `no blocklist loaded: ${why}, so no blocklist hit can be shown${demo}; put blocklist files (plain, IPsum, Maltrail) there or name a folder with --blocklists DIR`;
}

/** A word for a POSIX shell, single-quoted. */
const shellWord = (w: string): string => `'${w.replace(/'/g, "'\\''")}'`;

/** `nml search` with the --config and --data this command was given, so that an evidence line can be pasted as it is. */
export function searchCommand(flags: CommonFlags): string {
  return ['nml search', ...(flags.config === undefined ? [] : ['--config', shellWord(flags.config)]), ...(flags.data === undefined ? [] : ['--data', shellWord(flags.data)])].join(' ');
}

/** The command line that shows a citation's or a neighbour's evidence lines (times in epoch ms). */
export function evidenceCommand(search: string, e: { q: string; from: number; to: number }): string {
  return `${search} --from ${e.from} --to ${e.to} ${shellWord(e.q)}`;
}

/** The identity shown as it is: the tables' default, for callers that print to no terminal. */
const asIs = (text: string): string => text;

/**
 * `search` is the command the evidence lines start with, e.g. `nml search --data 'DIR'`, so they can be
 * pasted as they are. `shown` is applied to each line (output.ts's shownText): entities, identities and
 * article titles come from logs and files an attacker can write to.
 */
export function pivotTable(p: PivotResult, search = 'nml search', shown: (text: string) => string = asIs, noBlocklist: string | null = null): string {
  const lines: string[] = [p.entity];
  const identity = identityText(p.identity);
  if (identity !== '') lines.push(`  behind it: ${identity}`);
  if (noBlocklist !== null) lines.push(`  (${noBlocklist})`);
  for (const h of p.blocklist) lines.push(`  BLOCKLISTED: ${h.indicator} (${h.list})`);
  for (const a of p.articles) lines.push(`  article: ${a.title} (${a.path})`);
  if (p.groups.length === 0) lines.push('  no relations in this range');
  let approx = false;
  for (const g of p.groups) {
    // resolve edges come from DNS answers and from logs that name the address a URL or TLS name was served at
    const relation = g.relation === 'resolve' ? 'resolve (DNS answer or served at)' : g.relation;
    const arrow = g.direction === 'out' ? `${relation} →` : `← ${relation}`;
    lines.push('', `${arrow} (${g.total}${g.total > g.neighbours.length ? `, ${g.neighbours.length} shown` : ''})`);
    for (const n of g.neighbours) {
      const flags = [
        ...n.blocklist.map((h) => `BLOCKLISTED ${h.list}`),
        n.articles > 0 ? `${n.articles} article${n.articles > 1 ? 's' : ''}` : '',
        identityText(n.identity),
        n.via === undefined ? '' : `as ${n.via.slice(n.via.indexOf(':') + 1)}`,
      ].filter((s) => s !== '');
      // how many lines relate the two (`38x`); the range cuts an hour of the index: `count` lines are in it for sure, up to `countMax` may be
      const count = n.countMax === undefined ? `${n.count}x` : `${n.count}-${n.countMax}x~`;
      if (n.countMax !== undefined) approx = true;
      lines.push(`  ${count.padStart(8)}  ${n.entity.padEnd(40)} ${iso(n.first)} .. ${iso(n.last)}${flags.length > 0 ? '  ' + flags.join('  ') : ''}`);
      lines.push(`            evidence: ${evidenceCommand(search, n.evidence)}`);
    }
  }
  if (approx) {
    lines.push(
      '',
      'N-Mx~: the range cuts an hour of the relation index, which keeps per hour only the first and last time of a relation and its count:',
      'N lines lie in the range for sure, up to M may; the times shown are where they may lie. Run its evidence search to count them.',
    );
    // the same pivot over the whole hours the range cuts counts every line exactly (neighbours first seen outside the range may join);
    // an open end is up to now (the range cut the hour still running, or had no end): exact too, the current hour's counts still growing
    const w = p.exactRange;
    if (w !== undefined) {
      const growing = w.to === null ? 'up to now, no --to: the current hour\'s counts still grow as lines come in; ' : '';
      lines.push(`Over whole hours every count is exact:${w.from === null ? '' : ` --from ${iso(w.from)}`}${w.to === null ? '' : ` --to ${iso(w.to)}`} (${growing}relations of those hours outside the range join it).`);
    }
  }
  lines.push('', `(${p.periods} relation files, ${p.tookMs.toFixed(1)} ms)`);
  return lines.map(shown).join('\n') + '\n';
}

/** `shown`: as pivotTable's; host names, users and destinations come from logs. `noBlocklist`: noBlocklistNote's. */
export function scopeTable(s: ScopeResult, shown: (text: string) => string = asIs, noBlocklist: string | null = null): string {
  const skipped = s.skipped > 0 ? `, ${s.skipped} not read (the commonest of the rest, over the read budget)` : '';
  const lines: string[] = [`scope of impact of ${s.entity}: ${s.destinations} destination${s.destinations === 1 ? '' : 's'}, ${s.common} too common to tell${skipped}`];
  if (noBlocklist !== null) lines.push(`  (${noBlocklist})`);
  if (s.hosts.length === 0) lines.push('  no other host shares a destination');
  // without a blocklist none comes first: "blocklisted ... first" read as a check that was made
  else lines.push(noBlocklist === null ? '  hosts that reached a blocklisted destination of it too come first (whatever their score), then by score:' : '  by score:');
  for (const h of s.hosts) {
    const bl = h.sharedBlocklisted > 0 ? `  ${h.sharedBlocklisted} blocklisted` : '';
    lines.push(`  ${h.score.toFixed(2).padStart(8)}  ${h.entity.padEnd(28)} ${String(h.shared).padStart(4)} shared${bl}  ${identityText(h.identity)}`);
    lines.push(`            ${h.destinations.map((d) => `${d.entity}${d.blocklisted ? '!' : ''} (${d.sources})`).join(', ')}`);
    if (h.sharedBlocklisted > 0 && h.why !== undefined) lines.push(`            why first: ${h.why}`);
  }
  lines.push('', `(${s.tookMs.toFixed(1)} ms)`);
  return lines.map(shown).join('\n') + '\n';
}

export function registerPivot(program: Command): void {
  const cmd = program
    .command('pivot')
    .description('show what an entity is related to (DNS, flows, DHCP, logons, IDS), with blocklist hits, users and evidence')
    .argument('<entity>', 'ip:10.0.0.5, domain:evil.example, mac:…, user:…, port:…, host:…, sig:…, or url:… (its host)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--limit <n>', 'neighbours per relation (with --scope: hosts)', positiveInt, 50)
    .option('--scope', 'scope of impact: hosts that reached the same destinations, many and rare ones first')
    .option('--json', 'print the answer (neighbours and evidence) as JSON (JSON-escaped: --escape does not apply)')
    .addOption(escapeOption())
    .option('--blocklists <dir>', 'blocklist folder (default <data>/blocklists)')
    .option('--articles <dir>', 'articles folder (default <data>/articles)')
    .addHelpText('after', HELP);
  addRangeOptions(cmd).action(async (entity: string, flags: PivotFlags) => {
    const config = loadConfig(flags, {
      investigate: {
        ...(flags.blocklists === undefined ? {} : { blocklistsDir: flags.blocklists }),
        ...(flags.articles === undefined ? {} : { articlesDir: flags.articles }),
      },
    });
    const range = rangeOf(flags);
    const shown = shownText(flags.escape);
    // a mistyped entity is told as such before anything about the data directory
    parseEntity(entity);
    // a folder named on the command line must be one: a typo must not read as "no blocklist hits"
    for (const [flag, dir] of [['--blocklists', flags.blocklists], ['--articles', flags.articles]] as const) {
      if (dir !== undefined && !isDirectory(dir)) throw new AppError('PIVOT_FOLDER_MISSING', 'bad_request', `pivot: ${flag} ${dir} is not a folder; give the folder that holds the ${flag.slice(2)} files`, { flag, dir });
    }
    const data = resolve(config.dataDir);
    if (!existsSync(join(data, RELATIONS_DIR))) {
      // a --data that is no store at all is a mistyped path (exit 2); a store without relations yet is not
      requireStore(data);
      throw new AppError('PIVOT_NO_RELATIONS', 'not_found', `pivot: no relation index in ${data}; ingest logs first (relations are extracted at ingest) or pass --data DIR`, { dataDir: data });
    }
    const opened = openInvestigator(config);
    try {
      await opened.ready;
      // the demo's data directory: serve --demo wrote its capture under demo/ (its feed it wrote nowhere)
      const noBlocklist = noBlocklistNote(opened.investigator.status().blocklists, existsSync(join(data, 'demo')));
      if (flags.scope === true) {
        const s = opened.investigator.scope(entity, range, flags.limit);
        await writeOut(flags.json === true ? JSON.stringify(s, null, 2) + '\n' : scopeTable(s, shown, noBlocklist));
      } else {
        const p = opened.investigator.pivot(entity, range, flags.limit);
        await writeOut(flags.json === true ? JSON.stringify(p, null, 2) + '\n' : pivotTable(p, searchCommand(flags), shown, noBlocklist));
      }
    } finally {
      opened.close();
    }
  });
}
