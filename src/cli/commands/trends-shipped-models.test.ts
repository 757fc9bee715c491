/**
 * The shipped models folder is checked as a named one is: `nml trends predict`, `collect` and `nml serve`
 * run from a copy of the package whose models/trends lacks a file refuse, naming the file and how to put
 * it back, instead of fitting a model on the fly or classifying nothing. The copy is this package's
 * dist/, src/ and node_modules/ linked beside its own package.json and models/ (node keeps the linked
 * paths with --preserve-symlinks, so the package root it finds is the copy's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../testing.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** A package of its own at `dir`, its models/trends holding only `files` of the shipped ones. */
function packageCopy(dir: string, files: readonly string[]): string {
  for (const part of ['dist', 'src', 'node_modules']) symlinkSync(join(REPO_ROOT, part), join(dir, part));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  const models = join(dir, 'models', 'trends');
  mkdirSync(models, { recursive: true });
  for (const f of files) copyFileSync(join(REPO_ROOT, 'models', 'trends', f), join(models, f));
  return models;
}

function nmlOf(pkg: string): (args: string[]) => Promise<{ code: number; err: string }> {
  const entry = FROM_SOURCE ? ['--import', 'tsx', join(pkg, 'src', 'cli', 'entry.ts')] : [join(pkg, 'dist', 'src', 'cli', 'entry.js')];
  return (args) =>
    new Promise((resolve) => {
      execFile(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', ...entry, ...args], { cwd: pkg }, (e, _out, err) => {
        resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, err });
      });
    });
}

test('a shipped models folder that lacks a file the command reads (predict, collect, serve) is refused naming the file and how to restore it; one that will not read names it too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-shipped-models-'));
  try {
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    const models = packageCopy(pkg, ['attack-type.json', 'trend-week.json', 'threat.json']);
    const nml = nmlOf(pkg);
    const data = join(dir, 'data');
    mkdirSync(data);
    const restore = 'restore the folder from the nml package (in a checkout: git checkout -- models/trends), or run nml trends train to write it again';
    const day = await nml(['trends', 'predict', '--period', 'day', '--no-history', '--data', data]);
    assert.equal(day.code, 2, day.err);
    assert.equal(day.err, `nml: trends: no models in ${models} (the shipped models): it holds no trend-day.json (the daily forecast); it holds attack-type.json, threat.json, trend-week.json; ${restore}, or give --models DIR of the folder it wrote\n`);
    // the week's model is there: predict goes on to the documents (none here)
    const week = await nml(['trends', 'predict', '--period', 'week', '--no-history', '--data', data]);
    assert.doesNotMatch(week.err, /no models/, week.err);
    // nml serve's page forecasts both periods: refused at start-up, in the configuration's words
    const config = join(dir, 'nml.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'serve-data'), trends: { enabled: true } }));
    const serve = await nml(['serve', '--config', config]);
    assert.notEqual(serve.code, 0, serve.err);
    assert.ok(serve.err.includes(`trends: no models in ${models} (the shipped models): it holds no trend-day.json (the daily forecast); it holds attack-type.json, threat.json, trend-week.json; ${restore}, or point trends.models at the folder it wrote`), serve.err);
    // the collector's classifier
    rmSync(join(models, 'attack-type.json'));
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [{ name: 'never-fetched', kind: 'feed', url: 'http://127.0.0.1:9/rss' }] }));
    const collect = await nml(['trends', 'collect', '--once', '--no-log', '--sources', sources, '--data', data]);
    assert.equal(collect.code, 2, collect.err);
    assert.match(collect.err, /\(the shipped models\): it holds no attack-type\.json \(the attack-type classifier the collector scores documents with\); it holds threat\.json, trend-week\.json; restore the folder/);
    // a file that is there and will not read: named, with what to do
    mkdirSync(join(models, 'trend-day.json'));
    const folder = await nml(['trends', 'predict', '--period', 'day', '--no-history', '--data', data]);
    assert.equal(folder.code, 2, folder.err);
    assert.equal(folder.err, `nml: model: cannot read ${join(models, 'trend-day.json')}: it is a folder, and a trends model is one JSON file; move the folder aside and run 'nml trends train' again\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
