import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus, pyList } from './corpora.js';
import { IncidentBase } from './incident-base.js';
import { REPO_ROOT } from '../cli/testing.js';

const DATASETS = join(REPO_ROOT, '..', 'shared', 'datasets');
const skip = existsSync(DATASETS) ? false : 'needs ../shared/datasets';

test('CASIE subtypes are a Python list literal', () => {
  assert.deepEqual(pyList("['Databreach', 'Ransom']"), ['Databreach', 'Ransom']);
  assert.deepEqual(pyList('[]'), []);
});

test('the labelled corpora load as incidents and go into the base', { skip }, () => {
  const casie = loadCorpus('casie', DATASETS);
  const hack = loadCorpus('hackmageddon', DATASETS);
  const vcdb = loadCorpus('vcdb', DATASETS);
  assert.equal(casie.length, 1000);
  assert.equal(hack.length, 1832);
  assert.equal(vcdb.length, 5);
  assert.ok(casie.every((x) => x.labels.length >= 1));
  assert.equal(hack.filter((x) => x.labels[0] === 'ddos').length, 201);
  assert.ok(vcdb.every((x) => x.record !== undefined && x.record.fields.category !== undefined));
  // the query side never sees the label: attributes come from the text and the non-label columns
  assert.ok(hack.every((x) => !JSON.stringify(x.attrs).includes('"attack_norm"')));
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-base-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    base.put([...vcdb, ...hack.slice(0, 100)]);
    base.put(vcdb); // replacing is idempotent
    assert.deepEqual(base.countBySource(), { hackmageddon: 100, vcdb: 5 });
    assert.deepEqual(base.get(vcdb[0]?.id ?? '')?.labels, vcdb[0]?.labels);
    assert.equal(base.get("x' OR 1=1 --"), null);
  } finally {
    base.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
