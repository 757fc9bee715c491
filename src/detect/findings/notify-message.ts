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
  /** a reopening's entry in the store's triage log (its id): where it stands in the reopenings' sequence (`NotifyMark.reopen`) */
  logId?: number;
}

/**
 * How far the findings store's raisings go (notify-mark.ts): the highest finding id (a new finding's)
 * and the highest triage-log id of a reopening. Both only grow as `record` raises findings.
 */
export interface NotifyMark {
  finding: number;
  reopen: number;
}

/** The findings of one batching window: those shown in full, and how many more (with the first ids of those). */
export interface NotifyBatch {
  findings: RaisedFinding[];
  more: number;
  /** ids of the findings left out, at most MORE_IDS_MAX (the first ones) */
  moreIds: number[];
  /**
   * Every raising up to here was in this message, in one before it, or not for this webhook (the
   * notifier's mark when the window closed); absent where the findings came without a store's mark.
   */
  upTo?: NotifyMark;
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

/** How a message's text is written: for Slack's mrkdwn or plain, and linked to the web UI at `publicUrl` (null: no links). */
interface TextStyle {
  slack: boolean;
  publicUrl: string | null;
}

/** `text` linked to `href` in the style (a bare address after it, or Slack's `<address|text>`), or as it is without a public URL. */
function linked(text: string, href: (publicUrl: string) => string, style: TextStyle): string {
  if (style.publicUrl === null) return text;
  return style.slack ? `<${href(style.publicUrl)}|${text}>` : `${text} ${href(style.publicUrl)}`;
}

/**
 * Text from a finding (its entity, summary, search) as Slack reads it: `&`, `<` and `>` as entities. A URL
 * in a log is the attacker's to write, and `<!channel>` or `<https://phish|finding 7>` in one would be a
 * mention or a link of the message's own, in Slack and in Mattermost, which reads the same syntax.
 */
function said(text: string, style: TextStyle): string {
  return style.slack ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
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
function findingLine(r: RaisedFinding, style: TextStyle): string {
  const f = r.finding;
  const summary = f.explanation.summary.replace(/\s+/g, ' ').slice(0, 300);
  const finding = linked(`finding ${f.id}`, (publicUrl) => findingHref(publicUrl, f.entity), style);
  return `• ${r.raised === 'reopened' ? 'reopened ' : ''}${f.detector} ${f.score.toFixed(3)} ${said(f.entity.slice(0, 300), style)}: ${said(summary, style)} (${finding}; search: ${said(f.evidence.query.slice(0, 300), style)})`;
}

/** The whole message as text: a heading, one line per finding, and what was left out; in `style`. */
export function batchText(b: NotifyBatch, style: TextStyle = { slack: false, publicUrl: null }): string {
  const total = b.findings.length + b.more;
  const reopened = b.findings.filter((r) => r.raised === 'reopened').length;
  const head = `NML: ${total} finding${total === 1 ? '' : 's'} raised${reopened > 0 ? ` (${reopened} of those shown reopened)` : ''}`;
  const lines = [head, ...b.findings.map((r) => findingLine(r, style))];
  if (b.more > 0) {
    const ids = b.moreIds.join(', ') + (b.more > b.moreIds.length ? ', …' : '');
    lines.push(`… and ${b.more} more not shown (finding ids ${ids}): see ${WHERE.replace('the Alerts page', linked('the Alerts page', alertsListHref, style))}`);
  }
  return lines.join('\n');
}

/**
 * The body POSTed for a batch, in the webhook's format. With `publicUrl` (the web UI's address people
 * open) `json` gives each finding's `link` and a `moreLink`, its text the bare addresses; `slack` links
 * each `finding N` and the Alerts page in Slack's `<address|text>`, which Mattermost reads too (and
 * writes a finding's own `&`, `<` and `>` as entities, with a public URL or without).
 */
export function batchBody(b: NotifyBatch, format: NotifyFormat, sample = false, publicUrl: string | null = null): string {
  if (format === 'slack') {
    const text = batchText(b, { slack: true, publicUrl });
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
    text: batchText(b, { slack: false, publicUrl }),
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
