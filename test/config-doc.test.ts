/**
 * docs/configuration.md and the configuration agree both ways: every setting of resolveConfig() (and every
 * sub-key of a setting that is an object or null) has a row, every row names a setting, documented defaults
 * are the defaults, and the NML_ variables and `nml serve` flags the doc names are the ones there are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';

import { PACKAGE_ROOT } from '../src/version.js';
import { defaultConfig, resolveConfig } from '../src/config.js';
import { unknownEnvNames } from '../src/config-env.js';
import { defineServe } from '../src/cli/commands/serve.js';
import { WEBHOOK_KEYS } from '../src/detect/findings/notify-target.js';

/** the repository root, from dist/test/ and from test/ (tsx) alike */
const ROOT = PACKAGE_ROOT;
const DOC = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
/** the configuration's source: its settings (config.ts) and the environment variables it reads (config-env.ts) */
const CONFIG_SOURCE = ['config.ts', 'config-env.ts'].map((f) => readFileSync(join(ROOT, 'src', f), 'utf8')).join('\n');

/** settings whose default depends on the machine (CPU cores): documented in words, not as JSON */
const MACHINE_DEPENDENT = new Set(['store.lanes', 'search.threads']);

/** The text under the level-2 heading `title`, up to the next level-2 heading. */
function section(title: string): string {
  const start = DOC.indexOf(`\n## ${title}\n`);
  assert.notEqual(start, -1, `docs/configuration.md has no "## ${title}" section`);
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end === -1 ? undefined : end);
}

interface Row {
  key: string;
  cells: string[];
}

/** Table rows whose first cell is one code span (header and separator rows are not). */
function rows(text: string): Row[] {
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    const m = /^\| `([^`]+)` \|(.*)\|$/.exec(line);
    if (m !== null) out.push({ key: m[1]!, cells: m[2]!.split(' | ').map((c) => c.trim()) });
  }
  return out;
}

/** Leaf paths (`store.retention.maxAgeMs`) and the paths of the objects above them. */
function paths(v: unknown, prefix = '', leaves = new Map<string, unknown>(), sections = new Set<string>()): { leaves: Map<string, unknown>; sections: Set<string> } {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    if (prefix !== '') sections.add(prefix);
    for (const [k, x] of Object.entries(v)) paths(x, prefix === '' ? k : `${prefix}.${k}`, leaves, sections);
  } else {
    leaves.set(prefix, v);
  }
  return { leaves, sections };
}

const { leaves: LEAVES, sections: SECTIONS } = paths(resolveConfig());
const DEFAULTS = paths(defaultConfig()).leaves;

/** The keys of the object-or-null settings, as validate() allows them: `onlyKeys('assist.llm', llm, ['url', 'model'])`. */
const SUB_KEYS: string[] = [
  ...[...CONFIG_SOURCE.matchAll(/onlyKeys\('([\w.]+)', [^,]+, \[([^\]]*)\]\)/g)].flatMap((m) => [...m[2]!.matchAll(/'(\w+)'/g)].map((k) => `${m[1]}.${k[1]}`)),
  // the keys of each webhook of the findings.notify list (notify-target.ts checks them)
  ...WEBHOOK_KEYS.map((k) => `findings.notify[].${k}`),
];
const NULLABLE: string[] = [...(/const NULLABLE_SECTIONS = new Set\(\[([^\]]*)\]\)/.exec(CONFIG_SOURCE)?.[1] ?? '').matchAll(/'([\w.]+)'/g)].map((m) => m[1]!);

/** The variables of the ENV table (each sets a setting) and those read elsewhere (OTHER_ENV). */
const ENV_BLOCK = /const ENV: Record<[^\n]*\{\n([\s\S]*?)\n\};/.exec(CONFIG_SOURCE)?.[1] ?? '';
const SETTING_VARS = [...ENV_BLOCK.matchAll(/^ {2}(NML_[A-Z0-9_]+):/gm)].map((m) => m[1]!);
const OTHER_VARS = [...(/const OTHER_ENV = new Set\(\[([^\]]*)\]\)/.exec(CONFIG_SOURCE)?.[1] ?? '').matchAll(/'(NML_[A-Z0-9_]+)'/g)].map((m) => m[1]!);

const SETTINGS = rows(section('Settings'));
const DOCUMENTED = new Set(SETTINGS.map((r) => r.key));

test('the configuration is what this test reads from src/config.ts', () => {
  // a parse of config.ts that finds nothing would let every check below pass
  assert.ok(LEAVES.size >= 71, `resolveConfig() has ${LEAVES.size} settings`);
  assert.ok(SUB_KEYS.includes('syslog.tcp.tls.certFile') && SUB_KEYS.includes('assist.llm.url'), `sub-keys read: ${SUB_KEYS.join(', ')}`);
  assert.deepEqual(NULLABLE.filter((s) => !SUB_KEYS.some((k) => k.startsWith(`${s}.`))), [], 'an object-or-null section whose keys validate() does not list');
  assert.ok(SETTING_VARS.includes('NML_DATA') && SETTING_VARS.includes('NML_RETENTION_GB'), `ENV table read: ${SETTING_VARS.join(', ')}`);
  assert.ok(OTHER_VARS.includes('NML_LOG_LEVEL'), `OTHER_ENV read: ${OTHER_VARS.join(', ')}`);
  // every name read is one the configuration knows
  assert.deepEqual(unknownEnvNames(Object.fromEntries([...SETTING_VARS, ...OTHER_VARS].map((n) => [n, 'x']))), []);
});

test('every setting and sub-key has a row in docs/configuration.md, and every row is a setting', () => {
  const wanted = [...LEAVES.keys(), ...SUB_KEYS];
  assert.deepEqual(wanted.filter((k) => !DOCUMENTED.has(k)), [], 'settings not documented (add a row under "## Settings")');
  assert.deepEqual([...DOCUMENTED].filter((k) => !wanted.includes(k)), [], 'rows that name no setting');
  const seen = new Set<string>();
  for (const r of SETTINGS) {
    assert.ok(!seen.has(r.key), `${r.key} has two rows`);
    seen.add(r.key);
    assert.equal(r.cells.length, 5, `${r.key}: a row has Key, Default, Unit, Environment, Flag and What it does`);
  }
});

test('every setting path the doc mentions in a code span exists', () => {
  const top = new Set([...LEAVES.keys(), ...SECTIONS].map((k) => k.split('.')[0]!));
  const known = new Set([...LEAVES.keys(), ...SECTIONS, ...SUB_KEYS]);
  const mentioned = [...DOC.matchAll(/`([A-Za-z]+\.[\w.]+)`/g)].map((m) => m[1]!).filter((k) => top.has(k.split('.')[0]!));
  assert.deepEqual([...new Set(mentioned)].filter((k) => !known.has(k)).sort(), [], 'code spans that name no setting');
});

test('the example file of the doc is a valid configuration', () => {
  const example = /### A minimal file\n+```json\n([\s\S]*?)```/.exec(DOC);
  assert.ok(example !== null, 'docs/configuration.md has no json example under "### A minimal file"');
  // unknown keys, wrong kinds and out-of-range values throw
  resolveConfig(JSON.parse(example[1]!) as Parameters<typeof resolveConfig>[0]);
});

test('documented defaults are the defaults', () => {
  for (const r of SETTINGS) {
    if (!LEAVES.has(r.key)) continue;
    const cell = r.cells[0]!;
    const json = /^`([^`]+)`$/.exec(cell);
    if (MACHINE_DEPENDENT.has(r.key)) {
      assert.equal(json, null, `${r.key}: its default depends on the machine; say so in words`);
      continue;
    }
    assert.ok(json !== null, `${r.key}: the default cell should be one JSON code span, is ${cell}`);
    assert.deepEqual(JSON.parse(json[1]!), DEFAULTS.get(r.key), `${r.key}: documented default ${json[1]}`);
  }
});

test('the NML_ variables of the doc are the ones config-env.ts reads', () => {
  const envColumn = SETTINGS.flatMap((r) => [...r.cells[2]!.matchAll(/`(NML_[A-Z0-9_]+)`/g)].map((m) => m[1]!));
  assert.deepEqual(SETTING_VARS.filter((v) => !envColumn.includes(v)), [], 'variables of the ENV table in no setting row');
  assert.deepEqual(OTHER_VARS.filter((v) => !DOC.includes(`\`${v}\``)), [], 'variables read outside the ENV table not documented');
  const named = new Set([...DOC.matchAll(/`(NML_[A-Z0-9_]+)`/g)].map((m) => m[1]!));
  assert.deepEqual([...named].filter((v) => !SETTING_VARS.includes(v) && !OTHER_VARS.includes(v)).sort(), [], 'variables the doc names that nothing reads');
});

test("the flags of the doc are nml serve's, and each of those that sets a setting is documented", () => {
  const serve = defineServe(new Command());
  const flags = serve.options.filter((o) => !o.hidden).map((o) => o.long!);
  const flagColumn = SETTINGS.flatMap((r) => [...r.cells[3]!.matchAll(/`(--[a-z-]+)`/g)].map((m) => m[1]!));
  assert.deepEqual(flagColumn.filter((f) => !flags.includes(f)), [], 'flags in the doc that nml serve does not have');
  assert.deepEqual(flags.filter((f) => f !== '--config' && !flagColumn.includes(f)), [], 'nml serve flags in no setting row');
});

test('the trends sources file keys are the ones src/trends/sources.ts accepts', () => {
  const text = readFileSync(join(ROOT, 'src', 'trends', 'sources.ts'), 'utf8');
  const list = (name: string): string[] => {
    const m = new RegExp(`const ${name} = \\[([^\\]]*)\\]`).exec(text);
    assert.ok(m !== null, `src/trends/sources.ts has no ${name}`);
    return [...m[1]!.matchAll(/'(\w+)'/g)].map((k) => k[1]!);
  };
  const accepted = [...list('TOP_KEYS'), ...list('SOURCE_KEYS').map((k) => `sources[].${k}`), ...list('FETCH_KEYS').map((k) => `fetch.${k}`)].filter((k) => k !== 'fetch');
  const documented = rows(section('Files the settings name')).map((r) => r.key);
  assert.deepEqual(accepted.filter((k) => !documented.includes(k)), [], 'sources file keys not documented');
  assert.deepEqual(documented.filter((k) => !accepted.includes(k)), [], 'documented sources file keys that are not accepted');
});
