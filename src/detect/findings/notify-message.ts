/**
 * What one findings webhook message says: the findings raised (or reopened) within one batching
 * window, at most `NOTIFY_BATCH_MAX` of them in full, and how many more there were with where to see
 * them. `json` is NML's own body; `slack` is `{"text": …}`, which Slack, Mattermost and Teams take.
 * With the web UI's public address (`http.publicUrl`) each finding links to the Alerts page on it and the
 * "more" line to the Alerts page itself; without it there is no address to link to, and none is guessed.
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

/** Where to see every finding, in words: with or without a link to the Alerts page. */
const WHERE = "the Alerts page of NML's web UI (sorted by Raised), or nml findings list --sort sighted";

/**
 * The Alerts page at `publicUrl` (a path under it kept) with `params`, each value percent-encoded: an
 * entity's `?`, `&`, `#`, `%`, `+` and IPv6 colons reach the page as they were. `|`, which ends a Slack
 * link's address, is encoded too.
 */
function alertsHref(publicUrl: string, params: Record<string, string>): string {
  const u = new URL(publicUrl);
  const base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`.replace(/\|/g, '%7C');
  const query = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${base}/alerts?${query}`;
}

/** The Alerts page on one finding: its entity, whatever its status now (the page reads `status` and `entity`). */
export function findingHref(publicUrl: string, entity: string): string {
  return alertsHref(publicUrl, { status: 'all', entity });
}

/** The Alerts page on every finding, the last raised first (its default order, `sort` absent: the page's `sighted`). */
export function alertsListHref(publicUrl: string): string {
  return alertsHref(publicUrl, { status: 'all' });
}

/** How a message's text links: not at all (no public URL), as a bare address, or Slack's `<address|text>`. */
type LinkStyle = { publicUrl: string; slack: boolean } | null;

/** `text` linked to `href` in the style, or as it is without links. */
function linked(text: string, href: string | null, style: LinkStyle): string {
  if (style === null || href === null) return text;
  return style.slack ? `<${href}|${text}>` : `${text} ${href}`;
}

/** One finding as the JSON body gives it; `link` (the Alerts page on it) with a public URL. */
function findingBody(r: RaisedFinding, publicUrl: string | null): Record<string, unknown> {
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
    ...(publicUrl === null ? {} : { link: findingHref(publicUrl, f.entity) }),
  };
}

/** A finding's line in the text: what, how sure, which entity, why, and the search that shows the evidence. */
function findingLine(r: RaisedFinding, style: LinkStyle): string {
  const f = r.finding;
  const summary = f.explanation.summary.replace(/\s+/g, ' ').slice(0, 300);
  const finding = linked(`finding ${f.id}`, style === null ? null : findingHref(style.publicUrl, f.entity), style);
  return `• ${r.raised === 'reopened' ? 'reopened ' : ''}${f.detector} ${f.score.toFixed(3)} ${f.entity.slice(0, 300)}: ${summary} (${finding}; search: ${f.evidence.query.slice(0, 300)})`;
}

/** The whole message as text: a heading, one line per finding, and what was left out; linked in `style`. */
export function batchText(b: NotifyBatch, style: LinkStyle = null): string {
  const total = b.findings.length + b.more;
  const reopened = b.findings.filter((r) => r.raised === 'reopened').length;
  const head = `NML: ${total} finding${total === 1 ? '' : 's'} raised${reopened > 0 ? ` (${reopened} of those shown reopened)` : ''}`;
  const lines = [head, ...b.findings.map((r) => findingLine(r, style))];
  if (b.more > 0) {
    const ids = b.moreIds.join(', ') + (b.more > b.moreIds.length ? ', …' : '');
    const where = style === null ? WHERE : `${linked('the Alerts page', alertsListHref(style.publicUrl), style)} of NML's web UI (sorted by Raised), or nml findings list --sort sighted`;
    lines.push(`… and ${b.more} more not shown (finding ids ${ids}): see ${where}`);
  }
  return lines.join('\n');
}

/**
 * The body POSTed for a batch, in the webhook's format. With `publicUrl` (the web UI's address people
 * open) `json` gives each finding's `link` and a `moreLink`, its text the bare addresses; `slack` links
 * each `finding N` and the Alerts page in Slack's `<address|text>`, which Mattermost reads too.
 */
export function batchBody(b: NotifyBatch, format: NotifyFormat, sample = false, publicUrl: string | null = null): string {
  if (format === 'slack') {
    const text = batchText(b, publicUrl === null ? null : { publicUrl, slack: true });
    return JSON.stringify({ text: sample ? `NML test message: this webhook is configured. ${text}` : text });
  }
  return JSON.stringify({
    source: 'nml',
    ...(sample ? { test: true } : {}),
    findings: b.findings.map((r) => findingBody(r, publicUrl)),
    more: b.more,
    moreIds: b.moreIds,
    ...(b.more > 0 ? { moreWhere: WHERE } : {}),
    ...(b.more > 0 && publicUrl !== null ? { moreLink: alertsListHref(publicUrl) } : {}),
    text: batchText(b, publicUrl === null ? null : { publicUrl, slack: false }),
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
