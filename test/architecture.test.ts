/**
 * The house rules that a reader of import lines can check: each stage folder imports only earlier
 * stages and only through their index.ts; no source file grows past 500 lines (allow-list only shrinks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

import { PACKAGE_ROOT } from '../src/version.js';

/** the repository root, from dist/test/ and from test/ (tsx) alike */
const ROOT = PACKAGE_ROOT;
const SRC = join(ROOT, 'src');

/** folder -> folders it may import (through their index.ts) */
const ALLOWED: Record<string, string[]> = {
  core: [],
  collect: ['core'],
  parse: ['core'],
  trends: ['core'],
  store: ['core'],
  search: ['core', 'store'],
  detect: ['core', 'parse'],
  investigate: ['core', 'store', 'search'],
  assist: ['core', 'search', 'detect', 'investigate'],
  serve: ['core', 'collect', 'parse', 'store', 'search', 'detect', 'investigate', 'assist', 'trends'],
};
/** imports allowed for types only (`import type`) */
const TYPES_ONLY: Record<string, string[]> = { store: ['parse'] };
/** top-level files and the cli compose everything */
const COMPOSERS = new Set(['cli', '(top)']);
const MAX_LINES = 500;
const SIZE_ALLOW: Record<string, number> = {};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function folderOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length === 1 ? '(top)' : rel[0]!;
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

test('stage folders import only earlier stages, through index.ts', () => {
  const violations: string[] = [];
  for (const file of walk(SRC)) {
    const from = folderOf(file);
    if (COMPOSERS.has(from)) continue;
    const isTest = file.endsWith('.test.ts');
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const typeOnly = /^\s*(?:import|export)\s+type\s/.test(m[0]);
      const allowed = ALLOWED[from] ?? [];
      const rel = relative(SRC, file);
      if (!allowed.includes(to)) {
        // tests may compose anything to build their fixtures
        const typesOk = typeOnly && (TYPES_ONLY[from] ?? []).includes(to);
        if (!typesOk && !isTest) violations.push(`${rel}: ${from} must not import ${to} (${spec})`);
        continue;
      }
      if (!target.endsWith(`${sep}${to}${sep}index.js`) && !isTest) violations.push(`${rel}: import ${to} through ${to}/index.ts, not ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test(`no source file is longer than ${MAX_LINES} lines`, () => {
  const over: string[] = [];
  for (const file of walk(SRC)) {
    if (file.endsWith('.test.ts')) continue;
    const rel = relative(ROOT, file);
    const lines = readFileSync(file, 'utf8').split('\n').length;
    if (lines > (SIZE_ALLOW[rel] ?? MAX_LINES)) over.push(`${rel}: ${lines} lines`);
  }
  assert.deepEqual(over, []);
});

test('the dependency table above matches docs/architecture.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  for (const [folder, deps] of Object.entries(ALLOWED)) {
    const row = doc.split('\n').find((l) => l.startsWith(`| ${folder} |`));
    assert.ok(row !== undefined, `docs/architecture.md has no dependency row for ${folder}`);
    const listed = row!.split('|')[2]!.trim();
    const expected = [...deps, ...(TYPES_ONLY[folder] ?? []).map((t) => `${t} (types)`)];
    assert.equal(listed, expected.length === 0 ? 'nothing' : expected.join(', '), `row for ${folder}`);
  }
});
