/**
 * One POST of a findings message to a webhook, and what it came to: delivered, or failed with whether a
 * retry may help, a Retry-After, and what to do. Never throws, never says a URL's path or its headers;
 * when to retry is the channel's (notify-channel.ts).
 */
import { describeCause, redactedUrl } from '../../core/index.js';
import type { WebhookConfig } from './notify-target.js';

/** What one POST came to: `retryable` for a network error, a timeout, 5xx and 429. */
export interface DeliveryResult {
  ok: boolean;
  status: number | null;
  retryable: boolean;
  /** a 429's or 503's Retry-After (ms), capped at MAX_RETRY_AFTER_MS */
  retryAfterMs: number | null;
  /** `HTTP 404`, `no answer within 5 s`, `connect ECONNREFUSED 127.0.0.1:9` */
  why: string;
  ms: number;
}

/** the longest Retry-After or resumed retry waited (ms) */
export const MAX_RETRY_AFTER_MS = 300_000;

/** Milliseconds of a Retry-After header (seconds or an HTTP date), or null. */
function retryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : null;
}

/** POSTs `body` to the webhook once; never throws, never says its URL's path or its headers. */
export async function deliver(hook: WebhookConfig, body: string, timeoutMs: number, closing?: AbortSignal): Promise<DeliveryResult> {
  const started = Date.now();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const onClose = () => ac.abort();
  closing?.addEventListener('abort', onClose);
  const done = (r: Omit<DeliveryResult, 'ms'>): DeliveryResult => ({ ...r, ms: Date.now() - started });
  try {
    const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'nml-findings-notify', ...hook.headers }, body, signal: ac.signal, redirect: 'manual' });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return done({ ok: true, status: res.status, retryable: false, retryAfterMs: null, why: `HTTP ${res.status}` });
    const retryable = res.status === 429 || res.status >= 500;
    const after = res.status === 429 || res.status === 503 ? retryAfter(res.headers.get('retry-after'), Date.now()) : null;
    return done({ ok: false, status: res.status, retryable, retryAfterMs: after, why: `HTTP ${res.status}` });
  } catch (e) {
    const why = ac.signal.aborted && closing?.aborted !== true ? `no answer within ${timeoutMs / 1000} s` : describeCause((e as { cause?: unknown }).cause ?? e);
    // a port the Fetch standard blocks (9, 25, 6000 …) never works: not retried
    const blocked = why === 'bad port';
    // a message from the network layer may quote the URL: it is said redacted
    return done({ ok: false, status: null, retryable: !blocked, retryAfterMs: null, why: blocked ? `port ${new URL(hook.url).port} is one HTTP clients refuse to connect to (bad port)` : why.split(hook.url).join(redactedUrl(hook.url)) });
  } finally {
    clearTimeout(timer);
    closing?.removeEventListener('abort', onClose);
  }
}

/** What to do about a failed delivery, by its status. */
export function deliveryAdvice(r: DeliveryResult): string {
  if (r.status === null && !r.retryable) return 'give the webhook a port other than the blocked ones (such as 9, 25 or 6000): 80, 443 or 8080';
  if (r.status === 401 || r.status === 403) return 'check the credentials in its headers (or the token in its URL)';
  if (r.status === 404 || r.status === 410) return 'check the URL: the service no longer knows it (a deleted or rotated webhook)';
  if (r.status === 429) return 'the service limits the rate; raise its limit or send fewer (minScore, detectors)';
  if (r.status !== null && r.status >= 300 && r.status < 400) return 'the URL redirects; give the URL it redirects to';
  if (r.status !== null && r.status < 500) return 'the service refused the message: check format (json or slack) and the URL';
  return 'check that the service is up and reachable from this host (proxy, firewall, DNS)';
}
