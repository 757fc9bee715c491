/**
 * What one findings webhook message says: the findings raised (or reopened) within one batching
 * window, at most `NOTIFY_BATCH_MAX` of them in full, and how many more there were with where to see
 * them. `json` is NML's own body; `slack` is `{"text": …}`, which Slack, Mattermost and Teams take.
 */
import type { Finding } from '../detector.js';
import type { NotifyFormat } from './notify-target.js';

/** A finding as a message carries it, and whether it is new or a resolved one back. */
export interface RaisedFinding {
  finding: Finding;
  raised: 'new' | 'reopened';
}

/** The findings of one batching window: those shown in full, and how many more (with the first ids of those). */
export interface NotifyBatch {
  findings: RaisedFinding[];
  more: number;
  /** ids of the findings left out, at most MORE_IDS_MAX (the first ones) */
  moreIds: number[];
}

/** The findings one message gives in full. */
export const NOTIFY_BATCH_MAX = 50;
/** The ids of findings left out that a message names. */
export const MORE_IDS_MAX = 100;

/** Where to see every finding: there is no public URL of the web UI in the configuration to link to. */
const WHERE = "the Alerts page of NML's web UI (sorted by Raised), or nml findings list --sort sighted";

/** One finding as the JSON body gives it. */
function findingBody(r: RaisedFinding): Record<string, unknown> {
  const f = r.finding;
  return {
    id: f.id,
    raised: r.raised,
    detector: f.detector,
    entity: f.entity,
    score: f.score,
    threshold: f.threshold,
    summary: f.explanation.summary,
    firstSeen: new Date(f.firstSeen).toISOString(),
    lastSeen: new Date(f.lastSeen).toISOString(),
    count: f.count,
    status: f.triage.status,
    evidence: { query: f.evidence.query, from: new Date(f.evidence.from).toISOString(), to: new Date(f.evidence.to).toISOString() },
  };
}

/** A finding's line in the text: what, how sure, which entity, why, and the search that shows the evidence. */
function findingLine(r: RaisedFinding): string {
  const f = r.finding;
  const summary = f.explanation.summary.replace(/\s+/g, ' ').slice(0, 300);
  return `• ${r.raised === 'reopened' ? 'reopened ' : ''}${f.detector} ${f.score.toFixed(3)} ${f.entity.slice(0, 300)}: ${summary} (finding ${f.id}; search: ${f.evidence.query.slice(0, 300)})`;
}

/** The whole message as text: a heading, one line per finding, and what was left out. */
export function batchText(b: NotifyBatch): string {
  const total = b.findings.length + b.more;
  const reopened = b.findings.filter((r) => r.raised === 'reopened').length;
  const head = `NML: ${total} finding${total === 1 ? '' : 's'} raised${reopened > 0 ? ` (${reopened} of those shown reopened)` : ''}`;
  const lines = [head, ...b.findings.map(findingLine)];
  if (b.more > 0) {
    const ids = b.moreIds.join(', ') + (b.more > b.moreIds.length ? ', …' : '');
    lines.push(`… and ${b.more} more not shown (finding ids ${ids}): see ${WHERE}`);
  }
  return lines.join('\n');
}

/** The body POSTed for a batch, in the webhook's format. */
export function batchBody(b: NotifyBatch, format: NotifyFormat, sample = false): string {
  if (format === 'slack') return JSON.stringify({ text: sample ? `NML test message: this webhook is configured. ${batchText(b)}` : batchText(b) });
  return JSON.stringify({
    source: 'nml',
    ...(sample ? { test: true } : {}),
    findings: b.findings.map(findingBody),
    more: b.more,
    moreIds: b.moreIds,
    ...(b.more > 0 ? { moreWhere: WHERE } : {}),
    text: batchText(b),
  });
}

/** The sample finding of a test message: plainly one (its entity says so), with every field a real one has. */
export function sampleBatch(now: number): NotifyBatch {
  const finding: Finding = {
    id: 0,
    detector: 'url',
    entity: 'url:nml-test.invalid/this-is-a-test',
    score: 0.99,
    threshold: 0.964,
    modelVersion: 'test',
    time: now,
    firstSeen: now,
    lastSeen: now,
    count: 1,
    sightedAt: now,
    explanation: { summary: 'a test message from nml findings notify-test: nothing was found', detail: null },
    evidence: { query: 'sub:"nml-test.invalid"', from: now - 60_000, to: now },
    triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null },
  };
  return { findings: [{ finding, raised: 'new' }], more: 0, moreIds: [] };
}
