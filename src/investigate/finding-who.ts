/**
 * Who a detector's finding concerns, from the relation index over the finding's evidence window: the
 * addresses that asked for a URL finding's host (and the users behind them), and who is behind a
 * finding's own address when it is one of the network's (a scanning workstation). The Alerts page asks
 * it through `GET /api/findings/clients`; `nml findings who` asks it from a shell.
 */
import { isInternalIp, parseEntity } from './entity.js';
import type { Investigator } from './investigator.js';
import type { TimeRange } from '../core/index.js';
import type { FindingWho } from './types.js';

/** The detectors whose entity is something a client asked for (a URL, its host), not the client itself. */
const ASKED_FOR = new Set(['url']);

export interface FindingRef {
  detector: string;
  entity: string;
  evidence: TimeRange;
}

/**
 * `null` when there is nobody to name: an entity the investigator has no type for, or a finding on an
 * outside address (a scanner from the internet, a flood's victim). Errors of the relation index
 * (a file being rolled up) are the caller's to report.
 */
export function findingWho(inv: Pick<Investigator, 'clients' | 'identity'>, f: FindingRef, limit: number): FindingWho | null {
  let key: string;
  try {
    key = parseEntity(f.entity).key;
  } catch {
    return null;
  }
  const isIp = key.startsWith('ip:');
  if (!isIp && !key.startsWith('domain:')) return null;
  const range = { from: f.evidence.from, to: f.evidence.to };
  const identity = isIp && isInternalIp(key.slice(3)) ? inv.identity(key, range) : null;
  if (ASKED_FOR.has(f.detector)) return { ...inv.clients(key, range, limit), identity };
  return identity === null ? null : { entity: key, total: 0, clients: [], identity };
}
