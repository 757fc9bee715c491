/** Every error code used in src/ is documented in docs/errors.md, and every documented code is used. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../src/version.js';

/** the repository root, from dist/test/ and from test/ (tsx) alike */
const ROOT = PACKAGE_ROOT;
// one prefix per area; a new area adds its prefix here and a section in docs/errors.md
const PREFIX =
  '(?:COLLECT|PARSE|STORE|SEARCH|QUERY|TIME|HTTP|CONFIG|DEMO|AUTH|INGEST|CLI|TOKEN|USER|SESSION|WEB|WS|' +
  'BACKUP|DETECT|FINDINGS|MODEL|URL|SYN|PCAP|PIVOT|RELATION|BLOCKLIST|INVESTIGATE|ASSIST|MAIL|INCIDENT|TRENDS|FEED|TEXT|SHARE|AUDIT|WATCH)';
const CODE_IN_SOURCE = new RegExp(`'(${PREFIX}_[A-Z0-9_]+|INTERNAL)'`, 'g');
const CODE_IN_DOC = new RegExp(`^\\| \`(${PREFIX}_[A-Z0-9_]+|INTERNAL)\` \\|`, 'gm');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

test('error codes in the source and in docs/errors.md agree', () => {
  const used = new Set<string>();
  for (const f of sources(join(ROOT, 'src'))) for (const m of readFileSync(f, 'utf8').matchAll(CODE_IN_SOURCE)) used.add(m[1]!);
  const documented = new Set<string>();
  for (const m of readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8').matchAll(CODE_IN_DOC)) documented.add(m[1]!);
  assert.deepEqual([...used].filter((c) => !documented.has(c)).sort(), [], 'codes used but not documented');
  assert.deepEqual([...documented].filter((c) => !used.has(c)).sort(), [], 'codes documented but not used');
});
