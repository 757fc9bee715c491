/** Shared pieces of the end-to-end tests: temp data dirs, a quiet config, HTTP calls with the token. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../src/config.js';
import type { ConfigPatch, NmlConfig } from '../../src/config-types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const NML_BIN = join(ROOT, 'bin', 'nml.js');

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Everything on loopback with OS-chosen ports. */
export function testConfig(dataDir: string, patch: ConfigPatch = {}): Readonly<NmlConfig> {
  return resolveConfig(
    {
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      syslog: { udp: { host: '127.0.0.1', port: 0 }, tcp: { host: '127.0.0.1', port: 0 } },
      search: { threads: 2 },
      store: { lanes: 2, sealIdleMs: 200 },
    },
    patch,
  );
}

export function tokenOf(dataDir: string): string {
  return readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
}

export async function api<T>(base: string, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(base + path, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await r.text();
  return { status: r.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

/** Polls `fn` until it returns true or the time runs out. */
export async function eventually(fn: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
