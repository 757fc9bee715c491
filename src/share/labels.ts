/**
 * The labels of a shared dataset: a finding's triage said as what a researcher trains on, and the lines
 * each finding stands on. `false-positive` → benign, `resolved` → malicious (the team confirmed it and
 * dealt with it), `open` and `acknowledged` → unreviewed (nobody has said yet; acknowledged is "seen", not
 * "confirmed"). A line carries the label of every exported finding whose entity it names: the address,
 * domain, user or MAC, or the URL (compared as the URL detector keys it, `findingUrl`).
 */
import type { Entity } from '../core/index.js';
import { findingUrl, type Finding, type FindingStatus } from '../detect/index.js';

export const SHARE_LABELS = ['benign', 'malicious', 'unreviewed'] as const;
export type ShareLabel = (typeof SHARE_LABELS)[number];

const BY_STATUS: Record<FindingStatus, ShareLabel> = {
  'false-positive': 'benign',
  resolved: 'malicious',
  open: 'unreviewed',
  acknowledged: 'unreviewed',
};

/** The label of a triage status (an unknown one, from a newer store, is unreviewed). */
export function labelOf(status: string): ShareLabel {
  return BY_STATUS[status as FindingStatus] ?? 'unreviewed';
}

/** What a line's labels list holds: a finding's id and label. */
export interface LineLabel {
  finding: number;
  label: ShareLabel;
}

/** The fields of a finding an export reads (the store's Finding has them all). */
export type SharedFindingSource = Pick<Finding, 'id' | 'detector' | 'entity' | 'score' | 'threshold' | 'modelVersion' | 'firstSeen' | 'lastSeen' | 'count'> & { triage: Pick<Finding['triage'], 'status'> };

/** The key a line's entity meets a finding's under: `kind:value`, a URL as the URL detector writes it. */
function entityKey(e: Entity): string {
  if (e.kind !== 'url') return `${e.kind}:${e.value}`;
  return `url:${findingUrl(e.value.includes('://') ? e.value : `http://${e.value}`)}`;
}

/** The exported findings by the entity they name, to label the lines that name it. */
export class FindingLabels {
  private readonly byEntity = new Map<string, LineLabel[]>();

  constructor(findings: Iterable<SharedFindingSource>) {
    for (const f of findings) {
      const colon = f.entity.indexOf(':');
      const key = colon > 0 && f.entity.slice(0, colon) === 'url' ? `url:${findingUrl(`http://${f.entity.slice(colon + 1)}`)}` : f.entity;
      let list = this.byEntity.get(key);
      if (list === undefined) this.byEntity.set(key, (list = []));
      list.push({ finding: f.id, label: labelOf(f.triage.status) });
    }
  }

  /** the labels of a line that names `entities`, each finding once, in id order */
  of(entities: readonly Entity[]): LineLabel[] {
    if (this.byEntity.size === 0) return [];
    const out = new Map<number, LineLabel>();
    for (const e of entities) for (const l of this.byEntity.get(entityKey(e)) ?? []) out.set(l.finding, l);
    return [...out.values()].sort((a, b) => a.finding - b.finding);
  }
}
