/**
 * The anonymized dataset of the search shown (GET /api/share/export, admins only): its address for the
 * download, and the preview the dialog shows before anything leaves (`limit`: every finding, the first
 * lines, a manifest whose counts are of what was read).
 */
import { requestNdjson, withParams } from '../../lib/api.ts';
import type { ApiShareManifest, ApiShareRecord, ApiSharedFinding, ApiSharedLine } from '../../lib/types.ts';
import type { PinnedRange } from './pinned-range.ts';

export const SHARE_PATH = '/api/share/export';
/** lines the preview shows */
export const PREVIEW_LINES = 20;

export interface ShareRequest {
  q: string;
  range: Pick<PinnedRange, 'from' | 'to' | 'asOf'>;
  internalDomains: readonly string[];
}

function params({ q, range, internalDomains }: ShareRequest) {
  return { from: range.from, to: range.to, asOf: range.asOf, q: q.trim() === '' ? undefined : q, internalDomain: internalDomains };
}

/** The whole export as a file: the browser streams it to disk with the session cookie (no script holds it). */
export function shareDownloadHref(r: ShareRequest): string {
  return withParams(SHARE_PATH, { ...params(r), download: 1 });
}

export interface SharePreview {
  findings: ApiSharedFinding[];
  lines: ApiSharedLine[];
  manifest: ApiShareManifest;
}

/** The preview's records, sorted out; a failure after the reply began (an `{error}` record, no manifest) is thrown. */
export async function fetchSharePreview(r: ShareRequest, signal: AbortSignal): Promise<SharePreview> {
  const records = await requestNdjson<ApiShareRecord>(SHARE_PATH, { ...params(r), limit: PREVIEW_LINES }, signal);
  const out: Omit<SharePreview, 'manifest'> & { manifest: ApiShareManifest | null } = { findings: [], lines: [], manifest: null };
  for (const rec of records) {
    if ('finding' in rec) out.findings.push(rec.finding);
    else if ('line' in rec) out.lines.push(rec.line);
    else if ('manifest' in rec) out.manifest = rec.manifest;
    else throw new Error(`The preview failed part-way: ${rec.error.message}`);
  }
  if (out.manifest === null) throw new Error('The preview ended without its manifest: the server stopped part-way. Try again.');
  return { ...out, manifest: out.manifest };
}

/**
 * A suffix as the route takes it (`acme.com`, `.corp.acme.com`): letters, digits, `-` and `_` in dot-separated
 * labels; null, with why, otherwise (the server says the same in its words, later).
 */
export function domainProblem(text: string): string | null {
  if (text.length > 253) return 'a domain has at most 253 characters';
  if (!/^\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(text)) return `"${text}" is not a domain suffix: letters, digits, - and _ between dots (acme.com, corp.acme.com)`;
  return null;
}
