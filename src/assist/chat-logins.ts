/**
 * Chat about logons from an address: did any succeed, as which accounts, on which hosts. The counts per account are the
 * relation index's `login` and `login_failed` edges (what `nml pivot` lists); the hosts logged on to are read from the
 * header of those edges' evidence lines, since an edge keeps the address and the account only. Until 2026-12 "was any
 * login from it successful?" got the list of questions chat knows, and "which hosts did X reach?" named the firewall's
 * blocks and left out 532 failed logins as 29 accounts (UX review).
 */
import type { TimeRange } from '../core/index.js';
import type { Hit } from '../search/index.js';
import { searchTerm, type Neighbour, type PivotGroup, type PivotResult } from '../investigate/index.js';
import { lineSearch, type Citation, type LogPages, type PivotSource } from './chat-sources.js';

/** Accounts named per outcome; the rest are counted. */
const ACCOUNTS_SHOWN = 5;
/** Accounts whose evidence lines are read for the hosts logged on to, per outcome, and lines read per account. */
const ACCOUNTS_READ = 5;
const LINES_PER_ACCOUNT = 100;
/** Neighbours the pivot lists per relation: enough to count the accounts of a brute force. */
const PIVOT_LIMIT = 50;

/** The host a syslog line was written on: RFC 5424 (`<pri>1 time HOST`), RFC 3164 (`<pri>Mmm dd hh:mm:ss HOST`), or without the priority. */
const SYSLOG_HOST = /^(?:<\d{1,3}>)?(?:1 \S+|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+) ([\w.-]{1,253}) /u;

export function syslogHost(raw: string): string | null {
  const h = SYSLOG_HOST.exec(raw)?.[1];
  return h === undefined || h === '-' ? null : h;
}

export interface LogonPart {
  /** a sentence (or two) on the logons, with [n] markers numbered after `offset` */
  text: string;
  citations: Citation[];
  /** logons that succeeded; null when the index listed none of either kind */
  succeeded: number;
  failed: number;
}

interface Outcome {
  group: PivotGroup | undefined;
  count: number;
  /** the group lists its most frequent accounts only (or was read in part): its counts are at least these */
  cut: boolean;
}

function outcome(result: PivotResult, relation: 'login' | 'login_failed'): Outcome {
  const group = result.groups.find((g) => g.relation === relation && g.direction === 'out');
  const neighbours = (group?.neighbours ?? []).filter((n) => n.entity.startsWith('user:'));
  return { group, count: neighbours.reduce((s, n) => s + n.count, 0), cut: group !== undefined && (group.total > group.neighbours.length || group.truncated === true) };
}

const name = (entity: string): string => entity.slice(entity.indexOf(':') + 1);
const evidenceText = (n: Neighbour): string => `evidence: ${n.evidence.q} (${new Date(n.evidence.from).toISOString()} – ${new Date(n.evidence.to).toISOString()})`;

/** Reads the evidence lines of the most frequent accounts of each outcome and counts them per host. */
async function hostsLoggedOn(logs: LogPages, groups: { ok: boolean; group: PivotGroup | undefined }[]): Promise<{ hosts: Map<string, { ok: number; failed: number; hit: Hit; q: string }>; lines: number; partial: boolean }> {
  const hosts = new Map<string, { ok: number; failed: number; hit: Hit; q: string }>();
  let lines = 0;
  let partial = false;
  for (const { ok, group } of groups) {
    const top = (group?.neighbours ?? []).filter((n) => n.entity.startsWith('user:')).slice(0, ACCOUNTS_READ);
    if ((group?.neighbours.length ?? 0) > top.length) partial = true;
    for (const n of top) {
      const { hits } = await logs.page(n.evidence.q, { from: n.evidence.from, to: n.evidence.to }, LINES_PER_ACCOUNT, null);
      if (hits.length >= LINES_PER_ACCOUNT) partial = true;
      for (const h of hits) {
        const host = syslogHost(h.raw);
        if (host === null) continue;
        lines++;
        let x = hosts.get(host);
        if (x === undefined) hosts.set(host, (x = { ok: 0, failed: 0, hit: h, q: n.evidence.q }));
        if (ok) x.ok++;
        else x.failed++;
      }
    }
  }
  return { hosts, lines, partial };
}

/** The pivot of `subject` for chat (PIVOT_LIMIT neighbours per relation), or null when the index is not there or refuses it. */
export function pivotFor(subject: string, range: TimeRange, pivots: PivotSource | null): PivotResult | null {
  if (pivots === null) return null;
  try {
    return pivots.pivot(subject, range, PIVOT_LIMIT);
  } catch {
    return null; // the relation index is not there or refuses the entity
  }
}

/**
 * What a pivot of `subject` (and the evidence lines, when the log store is there) says of logons from it, or null when
 * it lists none. Citation markers start at `offset + 1`.
 */
export async function logonPart(subject: string, result: PivotResult, logs: LogPages | null, offset = 0): Promise<LogonPart | null> {
  const ok = outcome(result, 'login');
  const failed = outcome(result, 'login_failed');
  const citations: Citation[] = [];
  const cite = (c: Citation): string => {
    citations.push(c);
    return `[${offset + citations.length}]`;
  };
  if (ok.group === undefined && failed.group === undefined) {
    return null;
  }
  const atLeast = (o: Outcome) => (o.cut ? 'at least ' : '');
  const list = (o: Outcome, what: string): string => {
    const ns = (o.group?.neighbours ?? []).filter((n) => n.entity.startsWith('user:'));
    const shown = ns.slice(0, ACCOUNTS_SHOWN).map((n) => `${name(n.entity)} ${n.count}× ${cite({ kind: 'pivot', ref: `${result.entity} out ${o.group!.relation} ${n.entity}`, snippet: evidenceText(n), search: { ...n.evidence } })}`);
    const total = Math.max(o.group?.total ?? 0, ns.length);
    const rest = total - shown.length;
    return `${atLeast(o)}${o.count} ${what} as ${total} account${total === 1 ? '' : 's'} (${shown.join(', ')}${rest > 0 ? `, and ${rest} more` : ''})`;
  };
  const parts: string[] = [];
  if (failed.group !== undefined) parts.push(list(failed, `failed logon${failed.count === 1 ? '' : 's'}`));
  parts.push(ok.group === undefined ? 'no logon that succeeded' : list(ok, `logon${ok.count === 1 ? '' : 's'} that succeeded`));
  const inPart = result.truncated === true || result.timedOut === true ? ' (the index was read in part, over its budget: there may be more)' : '';
  let text = `By the relation index, ${subject} made ${parts.join(', and ')} in the last 7 days${inPart}.`;
  if (logs !== null) {
    const read = await hostsLoggedOn(logs, [
      { ok: true, group: ok.group },
      { ok: false, group: failed.group },
    ]);
    if (read.hosts.size > 0) {
      const ranked = [...read.hosts.entries()].sort((a, b) => b[1].ok - a[1].ok || b[1].ok + b[1].failed - (a[1].ok + a[1].failed) || (a[0] < b[0] ? -1 : 1));
      const shown = ranked.slice(0, ACCOUNTS_SHOWN).map(([host, x]) => `${host} (${x.ok} succeeded, ${x.failed} failed) ${cite({ kind: 'log', ref: `${x.hit.shard}#${x.hit.rowid}`, snippet: x.hit.raw.slice(0, 300), search: lineSearch(x.q, x.hit) })}`);
      const more = ranked.length > shown.length ? `, and ${ranked.length - shown.length} more` : '';
      text += ` The hosts logged on to, in the ${read.lines} evidence line${read.lines === 1 ? '' : 's'} read${read.partial ? ' (the most frequent accounts, not every line)' : ''}: ${shown.join(', ')}${more}.`;
    }
  }
  return { text, citations, succeeded: ok.count, failed: failed.count };
}

/** The answer to "was any login from it successful?": the logon part, or why there is none. */
export async function loginsAnswer(subject: string | null, range: TimeRange, pivots: PivotSource | null, logs: LogPages | null): Promise<{ answer: string; citations: Citation[] }> {
  if (subject === null) return { answer: 'Logins from which address? Name one in the question, or open an incident that has a source address.', citations: [] };
  if (pivots === null) return { answer: `The relation index is not connected here, so I cannot say whether logins from ${subject} succeeded.`, citations: [] };
  const result = pivotFor(subject, range, pivots);
  if (result === null) return { answer: `The relation index could not be read for ${subject}, so I cannot say whether logins from it succeeded.`, citations: [] };
  const part = await logonPart(subject, result, logs);
  if (part === null) {
    return {
      answer: `The relation index records no logon from ${subject} in the last 7 days, failed or successful [1].`,
      citations: [{ kind: 'pivot', ref: `ip:${subject} out login, login_failed (none)`, snippet: `evidence: ${subject} (${new Date(range.from ?? 0).toISOString()} – ${new Date(range.to ?? Date.now()).toISOString()})`, search: { q: searchTerm(`ip:${subject}`), from: range.from ?? 0, to: range.to ?? Date.now() } }],
    };
  }
  const verdict = part.succeeded > 0 ? `Yes: ${part.succeeded} logon${part.succeeded === 1 ? '' : 's'} from ${subject} succeeded.` : `No logon from ${subject} succeeded${part.failed > 0 ? `; ${part.failed} failed` : ''}.`;
  return { answer: `${verdict} ${part.text}`, citations: part.citations };
}
