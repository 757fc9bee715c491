/**
 * The house rules that a reader of import lines can check: each stage folder imports only earlier
 * stages and only through their index.ts; no source file grows past 500 lines, and the files of a folder
 * import each other one way, in no cycle (allow-lists only shrink).
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
  share: ['core', 'parse', 'detect'],
  backup: ['core', 'store'],
  investigate: ['core', 'store', 'search'],
  assist: ['core', 'search', 'detect', 'investigate'],
  serve: ['core', 'collect', 'parse', 'store', 'search', 'detect', 'investigate', 'assist', 'trends', 'share', 'backup'],
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

/**
 * Import cycles among a folder's files (types too: a reader follows them the same) allowed to stay; each is
 * its files, sorted, joined by ' '. The four known when the rule came are broken; none may be added.
 */
const CYCLES_ALLOWED = new Set<string>();

/** The groups of two or more files that import each other around, directly or not (strongly connected components, Tarjan). */
function importCycles(files: readonly string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const to: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('./')) to.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
    }
    edges.set(file, to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) out.push(component);
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return out;
}

test('the files of a folder import each other in no cycle', () => {
  const sources = walk(SRC).filter((f) => !f.endsWith('.test.ts'));
  const found = importCycles(sources).map((c) => c.map((f) => relative(ROOT, f).split(sep).join('/')).sort().join(' '));
  assert.deepEqual(found.filter((c) => !CYCLES_ALLOWED.has(c)).sort(), [], 'files that import each other around: move what they share to a module both import');
});

/** Files that pass on names of other modules: a folder's index.ts (its public surface) and serve/api.ts (the web's one API file). */
const RE_EXPORTERS = /(^|\/)index\.ts$|^src\/serve\/api\.ts$/;
const RE_EXPORT = /^\s*export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s+['"]|^\s*export\s+(?:type\s+)?\{[^}]*\}\s*;/m;

test('a name is imported from the module that defines it: only index.ts and serve/api.ts pass names on', () => {
  const shims = walk(SRC)
    .filter((f) => !f.endsWith('.test.ts'))
    .map((f) => relative(ROOT, f).split(sep).join('/'))
    .filter((rel) => !RE_EXPORTERS.test(rel) && RE_EXPORT.test(readFileSync(join(ROOT, rel), 'utf8')));
  assert.deepEqual(shims, [], 'import the names from where they are defined, or export them from the folder index.ts');
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
