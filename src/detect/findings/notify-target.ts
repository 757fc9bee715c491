/**
 * A findings webhook as configured (`findings.notify[]`): its settings, the checks the configuration
 * runs on them, and how it is named where it may be read by others. A webhook URL's path and query
 * are often its secret (Slack, Teams, Mattermost put the token there), and its headers carry
 * credentials: logs, metrics and errors name a webhook by `redactedUrl` or `webhookName`, never whole.
 */
import { DETECTOR_NAMES } from '../detector.js';

export const NOTIFY_FORMATS = ['json', 'slack'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

export interface WebhookConfig {
  /** http(s) URL the messages are POSTed to */
  url: string;
  /** only findings scored at or above this; null: every finding (each is at or above its detector's threshold) */
  minScore: number | null;
  /** only these detectors' findings; null: all */
  detectors: string[] | null;
  /** `json`: NML's own body; `slack`: `{"text": …}`, which Slack, Mattermost and Teams incoming webhooks take */
  format: NotifyFormat;
  /** sent with every message (`Authorization`, …) */
  headers: Record<string, string>;
}

/** The keys a webhook may have (config.ts checks them with onlyKeys). */
export const WEBHOOK_KEYS = ['url', 'minScore', 'detectors', 'format', 'headers'] as const;


/** The webhook's short non-secret name, for metric labels: its host and its place in the list (`hooks.slack.com#0`). */
export function webhookName(url: string, index: number): string {
  let host = '?';
  try {
    host = new URL(url).hostname;
  } catch {
    // a URL the configuration refused never gets here; keep the name defined anyway
  }
  return `${host}#${index}`;
}

/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What is wrong with webhook `index` of `findings.notify`, or null: the field it names and what to do.
 * The messages never hold the URL's path or query nor a header's value.
 */
export function webhookProblem(hook: unknown, index: number): { field: string; message: string } | null {
  const at = `findings.notify[${index}]`;
  const problem = (key: string, message: string) => ({ field: key === '' ? at : `${at}.${key}`, message: `${key === '' ? at : `${at}.${key}`} ${message}` });
  if (hook === null || typeof hook !== 'object' || Array.isArray(hook)) return problem('', 'is not an object; give each webhook as {"url": "https://…"} with, if need be, minScore, detectors, format and headers');
  const h = hook as Record<string, unknown>;
  for (const k of Object.keys(h)) if (!(WEBHOOK_KEYS as readonly string[]).includes(k)) return problem(k, `is not a webhook setting; a webhook has ${WEBHOOK_KEYS.join(', ')}: correct or remove it`);
  if (typeof h['url'] !== 'string' || h['url'] === '') return problem('url', 'is missing; give the webhook URL its service gave you (https://…)');
  let url: URL | null = null;
  try {
    url = new URL(h['url']);
  } catch {
    // said below, without the value: it may hold the secret
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return problem('url', `is not an http(s) URL (${url === null ? 'it does not parse' : `it starts ${url.protocol}`}); give the full webhook URL, such as https://hooks.example.com/services/…`);
  }
  const minScore = h['minScore'];
  if (minScore !== undefined && minScore !== null && !(typeof minScore === 'number' && minScore >= 0 && minScore <= 1)) return problem('minScore', `is ${JSON.stringify(minScore)}; give a score from 0 to 1, or leave it out for every finding`);
  const detectors = h['detectors'];
  if (detectors !== undefined && detectors !== null) {
    if (!Array.isArray(detectors) || detectors.length === 0 || !detectors.every((d) => typeof d === 'string')) return problem('detectors', `is ${JSON.stringify(detectors)?.slice(0, 60)}; give a non-empty list of detector names (${DETECTOR_NAMES.join(', ')}), or leave it out for all`);
    const unknown = detectors.filter((d) => !(DETECTOR_NAMES as readonly string[]).includes(d as string));
    if (unknown.length > 0) return problem('detectors', `names ${unknown.map((d) => JSON.stringify(String(d).slice(0, 40))).join(', ')}, not a detector; the detectors are ${DETECTOR_NAMES.join(', ')}`);
  }
  const format = h['format'];
  if (format !== undefined && !(NOTIFY_FORMATS as readonly unknown[]).includes(format)) return problem('format', `is ${JSON.stringify(format)?.slice(0, 40)}; give "json" (NML's body) or "slack" ({"text": …}, for Slack, Mattermost and Teams)`);
  const headers = h['headers'];
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return problem('headers', 'is not an object; give headers as {"Authorization": "Bearer …"}');
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (!TOKEN.test(name)) return problem('headers', `has a header name that is not one (${JSON.stringify(name.slice(0, 40))}); use letters, digits and hyphens`);
      // the value is a credential: its length may be said, never its text
      if (typeof value !== 'string' || /[\r\n\0]/.test(value)) return problem(`headers.${name}`, 'is not a one-line string; give the header value as text on one line');
    }
  }
  return null;
}

/** A checked webhook with its defaults filled in. */
export function webhookWithDefaults(hook: Partial<WebhookConfig> & { url: string }): WebhookConfig {
  return { url: hook.url, minScore: hook.minScore ?? null, detectors: hook.detectors == null ? null : [...hook.detectors], format: hook.format ?? 'json', headers: { ...(hook.headers ?? {}) } };
}
