/**
 * `nml findings who IDS`: the Alerts page's who-line for a shell. For each finding, from the relation
 * index over its evidence window: the addresses that asked for a URL finding's host (and who is behind
 * them), or who is behind a finding's own address when it is one of the network's.
 */
import { AppError } from '../../core/index.js';
import type { FindingsStore } from '../../detect/index.js';
import { findingWho, peopleOnce, type FindingWho } from '../../investigate/index.js';
import { openInvestigator } from '../../open-investigator.js';
import type { NmlConfig } from '../../config-types.js';
import { oneLine, shownText, writeOut } from '../output.js';
import { identityText } from './pivot.js';

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/** One person under two names (`corp\\carol` from a logon, `carol` from a firewall mapping) is said once, as the Alerts page does. */
export function onePerson(id: FindingWho['identity']): FindingWho['identity'] {
  if (id === null) return null;
  return { ...id, users: peopleOnce(id.users) };
}

export function whoLines(detector: string, who: FindingWho | null): string[] {
  if (who === null) return [detector === 'url' ? '  nothing to look up for this entity' : '  an address outside the network: nobody to name'];
  const lines: string[] = [];
  const behind = identityText(onePerson(who.identity), false);
  if (who.identity !== null) lines.push(`  behind it: ${behind === '' ? 'nobody known (no DHCP, logon or user-mapping line names it in the window)' : behind}`);
  if (detector !== 'url') return lines;
  if (who.total === 0) {
    lines.push('  no client seen asking for this host in its evidence window (clients come from DNS, proxy, firewall URL, Zeek and EVE http/tls logs, and flows to the addresses it resolved to)');
    return lines;
  }
  lines.push(`  reached by ${who.total} address${who.total === 1 ? '' : 'es'}${who.total > who.clients.length ? `, the ${who.clients.length} most frequent:` : ':'}`);
  // each line: how many times the client reached the host (the sum of the parenthesis), then who it is
  for (const c of who.clients) {
    const id = identityText(onePerson(c.identity), false);
    // a lookup is not a visit: how each client reached the host, said apart
    const how = [[c.requests, 'request'], [c.connections, 'connection'], [c.lookups, 'lookup']]
      .filter(([n]) => (n as number) > 0)
      .map(([n, w]) => `${n as number} ${w as string}${n === 1 ? '' : 's'}${w === 'connection' && c.via !== undefined ? ` to ${c.via.map((a) => a.replace(/^ip:/, '')).join(', ')}` : ''}`)
      .join(', ');
    lines.push(`  ${`${c.count}x`.padStart(8)}  ${c.entity.padEnd(28)} last ${iso(c.last)}${how === '' ? '' : `  (${how})`}${id === '' ? '' : '  ' + id}`);
  }
  if (who.sharedAddresses !== undefined) lines.push(`  not counted: connections to ${who.sharedAddresses.map((a) => a.replace(/^ip:/, '')).join(', ')}, which more names share (a CDN, a hosting provider)`);
  return lines;
}

/**
 * Prints each finding's who; unknown ids and failed lookups are told at the end (exit 1), after the
 * rest. Each line of text goes through `shown` (output.ts's shownText: the entity, user and host
 * names come from logged lines).
 */
export async function printWho(
  config: Readonly<NmlConfig>,
  store: Pick<FindingsStore, 'get'>,
  ids: readonly number[],
  flags: { limit: number; json?: boolean; shown?: (text: string) => string },
): Promise<void> {
  const shown = flags.shown ?? shownText();
  const opened = openInvestigator(config);
  const missing: number[] = [];
  const failed: string[] = [];
  try {
    await opened.ready;
    for (const id of ids) {
      const f = store.get(id);
      if (f === null) {
        missing.push(id);
        continue;
      }
      let who: FindingWho | null;
      try {
        who = findingWho(opened.investigator, f, flags.limit);
      } catch (err) {
        failed.push(`${id} (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      if (flags.json === true) {
        await writeOut(JSON.stringify({ id, detector: f.detector, entity: f.entity, evidence: { from: f.evidence.from, to: f.evidence.to }, who }) + '\n');
        continue;
      }
      const head = `finding ${id}  ${f.detector} ${f.score.toFixed(3)}  ${oneLine(f.entity)}  (window ${iso(f.evidence.from)} .. ${iso(f.evidence.to)})`;
      await writeOut([head, ...whoLines(f.detector, who)].map((l) => shown(oneLine(l))).join('\n') + '\n');
    }
  } finally {
    opened.close();
  }
  const rest = ids.length > missing.length + failed.length ? ' (the others are above)' : '';
  if (failed.length > 0) {
    const also = missing.length > 0 ? `; no finding with id ${missing.join(', ')}` : '';
    throw new AppError('FINDINGS_WHO_FAILED', 'unavailable', `findings: the relation index could not answer for finding ${failed.join('; ')}${also}${rest}; try again in a minute (an hour's file may be being rolled up)`);
  }
  if (missing.length > 0) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `findings: no finding with id ${missing.join(', ')}${rest}; 'nml findings list' shows them`);
}
