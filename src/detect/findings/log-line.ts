/**
 * A new finding as a syslog line (RFC 5424, app `nml-detect`), so that findings are searchable in the
 * log store beside the evidence: `app:nml-detect`, `ip:…`, `sub:"…"` find them.
 */
import type { Finding } from '../detector.js';

/** the app name of finding lines; evidence queries exclude it so that they show the evidence, not the finding */
export const FINDINGS_APP = 'nml-detect';

/** facility 13 (log audit) × 8 + severity 4 (warning) */
const PRI = 13 * 8 + 4;

/** What every finding line holds after its host: how `isFindingLine` tells one from the evidence. */
const FINDING_TAG = ` ${FINDINGS_APP} - finding - `;

/** Whether a stored raw line is one of NML's own finding lines (findingLogLine). */
export function isFindingLine(raw: string): boolean {
  return raw.includes(FINDING_TAG);
}

export function findingLogLine(f: Finding, host: string): string {
  const summary = f.explanation.summary.replace(/[\r\n]+/g, ' ');
  // `kind=value` (not `kind:value`) so that the entity extractor sees the value on its own
  const colon = f.entity.indexOf(':');
  const entity = colon > 0 ? `${f.entity.slice(0, colon)}=${f.entity.slice(colon + 1)}` : `entity=${f.entity}`;
  return `<${PRI}>1 ${new Date(f.time).toISOString()} ${host}${FINDING_TAG}detector=${f.detector} score=${f.score.toFixed(3)} model=${f.modelVersion} ${entity} ${summary}`;
}
