/**
 * `files.follow` entries: a path (`"/var/log/nginx/access.log"`), or a path and the host of its lines
 * whose header names none (`{ "path": "/mnt/web-01/access.log", "host": "web-01" }`; `"host": null`:
 * none). A path alone gets this machine's host name: `nml serve` reads the file here, so it is this
 * machine's log unless said otherwise, as rsyslog's imfile gives its lines the local host name (a file
 * copied or mounted from another machine names that machine, or null). docs/architecture.md.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { shownHost, sourceHostProblem } from './core/index.js';
import type { FollowedFile } from './config-types.js';

const KEYS = ['path', 'host'];

/** What is wrong with one entry (to follow "expected"), or null. */
export function followEntryProblem(entry: unknown): string | null {
  if (typeof entry === 'string') return entry === '' ? 'a non-empty file path' : null;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'a file path, or { "path": "<file>", "host": "<host name or address>" }';
  const e = entry as Record<string, unknown>;
  const stray = Object.keys(e).find((k) => !KEYS.includes(k));
  if (stray !== undefined) return `only "path" and "host" (no key "${stray}")`;
  if (typeof e.path !== 'string' || e.path === '') return 'a non-empty "path" (the file to follow)';
  if (e.host === undefined || e.host === null) return null;
  const why = sourceHostProblem(e.host);
  return why === null ? null : `"host" to be the host of its lines (an IP address or a host name such as web-01) or null for none, but ${shownHost(e.host)} is ${why}`;
}

/** This machine's host name, when it is one a line may carry (else undefined: its followed files' lines get none). */
export function localHost(): string | undefined {
  const h = hostname();
  return sourceHostProblem(h) === null ? h : undefined;
}

/** The followed files' paths and the host of each one's lines (undefined: none), `local` for a path given alone. */
export function followedFiles(entries: readonly FollowedFile[], local: string | undefined): { path: string; host: string | undefined }[] {
  return entries.map((e) => (typeof e === 'string' ? { path: e, host: local } : { path: e.path, host: e.host ?? undefined }));
}

/** The host of each followed file, by absolute path, as the file source asks for it. */
export function hostByPath(files: readonly { path: string; host: string | undefined }[]): (path: string) => string | undefined {
  const by = new Map(files.map((f) => [resolve(f.path), f.host]));
  return (path) => by.get(path);
}
