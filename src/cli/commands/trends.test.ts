/** `nml trends collect --once` into a data directory: documents stored, errors counted, and each document's log line is what `app:nml-trends` finds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { REPO_ROOT, runCli, runCliSync, runInProcess } from '../testing.js';
import { fixture, serve, startFixtureServer } from '../../trends/testing.js';
import { DocStore, docLogLine, simhash } from '../../trends/index.js';
import { parseLine } from '../../parse/index.js';
import { indexText } from '../../store/index.js';
import { compileQuery } from '../../search/index.js';
import { DEFAULT_MODELS, writeModels } from './trends.js';
import { docsDbPath } from './trends-documents.js';
import { refusing } from '../../core/testing/refused-fs.js';
import { isAppError } from '../../core/index.js';

const run = runInProcess;

test('nml trends collect --once stores documents in docs.db; each source\'s line says what came of it; a bad source beside a good one exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  const srv = await startFixtureServer();
  try {
    srv.route('/rss', serve(fixture('rss.xml'), 'application/rss+xml'));
    srv.route('/broken', serve(fixture('malformed.xml'), 'application/xml'));
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        fetch: { perHostIntervalMs: 0, retries: 0, timeoutMs: 2000, respectRobots: false },
        sources: [
          { name: 'news', kind: 'feed', url: `${srv.url}/rss` },
          { name: 'broken', kind: 'feed', url: `${srv.url}/broken` },
        ],
      }),
    );
    const data = join(dir, 'data');
    // --no-log: the log engine's writer lanes are covered by the store's own tests; here the documents and counters
    const r = await run(['trends', 'collect', '--once', '--no-log', '--sources', sources, '--data', data]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^news +3 new documents$/m);
    assert.match(r.out, /^broken +not parseable: feed: broken \(http:\/\/127\.0\.0\.1:\d+\/broken\) is not well-formed xml \(line \d+: [^\n]*\) \[FEED_MALFORMED\]$/m);
    assert.match(r.err, /^cycle: 2 sources: 1 with new documents, 0 with none new, 1 failed \(1 not parseable\); 3 new documents, \d+ ms\n$/);
    // the same again: the feed answers with nothing new
    const again = await run(['trends', 'collect', '--once', '--no-log', '--sources', sources, '--data', data]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /^news +no new documents: all 3 items were already stored, or near copies of stored documents$/m);
    const docs = new DocStore(docsDbPath(data));
    try {
      const stored = docs.list(0, Date.now(), 10);
      assert.equal(stored.length, 3);
      // what the log engine would index for each document answers `app:nml-trends lockbit` exactly once
      const plan = compileQuery('app:nml-trends lockbit');
      const terms = (plan.fastFts ?? '').match(/"[^"]+"/g)!.map((t) => t.slice(1, -1));
      const hits = stored.filter((d) => {
        const ev = parseLine({ line: docLogLine({ ...d, types: {} }), receivedAt: Date.now(), source: 'trends:news' });
        const text = indexText(ev).toLowerCase();
        return ev.app === 'nml-trends' && terms.every((t) => text.includes(t));
      });
      assert.deepEqual(hits.map((d) => d.title), ['LockBit ransomware hits hospital']);
    } finally {
      docs.close();
    }
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends collect refuses a bad sources file with a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [{ name: 'x', kind: 'gopher', url: 'http://x' }] }));
    const r = await run(['trends', 'collect', '--once', '--sources', sources, '--data', join(dir, 'd')]);
    assert.equal(r.code, 2);
    // which file, where in it, and that it is to be fixed there
    assert.match(r.err, /^nml: trends config: .*sources\.json: sources\[0\]\.kind must be one of feed, mastodon, reddit, page; fix it there\n$/);
    const missing = await run(['trends', 'collect', '--once', '--sources', join(dir, 'nope.json'), '--data', join(dir, 'd')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read .*nope\.json: there is no such file; give --sources a JSON file/);
    writeFileSync(sources, '{ "sources": [');
    assert.match((await run(['trends', 'collect', '--once', '--sources', sources, '--data', join(dir, 'd')])).err, /sources\.json: it is not JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict forecasts one period: --period both is a usage error, not the day alone', async () => {
  const r = await run(['trends', 'predict', '--period', 'both']);
  assert.equal(r.code, 2);
  assert.match(r.err, /expected day or week, got 'both'/);
});

test('nml trends predict and collect with a --models (or trends.models) folder that does not exist, or lacks the model they read (threat.json alone), say so and the fix for the setting that named it instead of fitting models on the fly', async () => {
  const missing = join(tmpdir(), `nml-no-models-${process.pid}`);
  const r = await run(['trends', 'predict', '--models', missing]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no models in .*nml-no-models-\d+ \(--models\): the folder does not exist/);
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [{ name: 'never-fetched', kind: 'feed', url: 'http://127.0.0.1:9/rss' }] }));
    const c = await run(['trends', 'collect', '--once', '--no-log', '--sources', sources, '--data', join(dir, 'd'), '--models', dir]);
    assert.equal(c.code, 2);
    assert.match(c.err, /no models in .* \(--models\): it holds no attack-type\.json \(the attack-type classifier the collector scores documents with\), nor any other model; give the folder nml trends train wrote/);
    // a folder of threat.json alone (nml trends eval's model) holds none the forecast reads: refused, naming the one it lacks
    const threatOnly = join(dir, 'threat-only');
    mkdirSync(threatOnly);
    writeFileSync(join(threatOnly, 'threat.json'), '{}');
    const week = await run(['trends', 'predict', '--period', 'week', '--models', threatOnly]);
    assert.equal(week.code, 2, week.err);
    assert.equal(week.err, `nml: trends: no models in ${threatOnly} (--models): it holds no trend-week.json (the weekly forecast); it holds threat.json; give the folder nml trends train wrote, or leave --models out for the shipped ${DEFAULT_MODELS}\n`);
    // without --config, leaving --models out gives the shipped models
    assert.ok(r.err.endsWith(`; give the folder nml trends train wrote, or leave --models out for the shipped ${DEFAULT_MODELS}\n`), r.err);
    // with a config that sets trends.models, leaving --models out gives that folder, not the shipped models
    const trained = join(dir, 'trained');
    mkdirSync(trained);
    writeFileSync(join(trained, 'attack-type.json'), '{}');
    const config = join(dir, 'nml.json');
    writeFileSync(config, JSON.stringify({ trends: { models: trained } }));
    const given = await run(['trends', 'predict', '--config', config, '--models', missing]);
    assert.equal(given.code, 2, given.err);
    assert.ok(given.err.endsWith(`(--models): the folder does not exist; give the folder nml trends train wrote, or leave --models out for trends.models of ${config} (${trained})\n`), given.err);
    // trends.models naming a folder without a model: the key of that file to edit, or --models
    writeFileSync(config, JSON.stringify({ trends: { models: join(dir, 'typo') } }));
    const typo = await run(['trends', 'predict', '--config', config]);
    assert.equal(typo.code, 2, typo.err);
    assert.equal(typo.err, `nml: trends: no models in ${join(dir, 'typo')} (trends.models of ${config}): the folder does not exist; edit trends.models in ${config} to name the folder nml trends train wrote (or remove it for the shipped ${DEFAULT_MODELS}), or give --models DIR\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict with a --calendar that will not read names the file and the flag, says why in words and what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const data = join(dir, 'd');
    mkdirSync(data);
    const advice = 'give --calendar a JSON array of calendar entries \\(the calendar section of docs/architecture\\.md\\), or leave --calendar out for the built-in calendar\n$';
    const missing = await run(['trends', 'predict', '--no-history', '--data', data, '--calendar', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2, missing.err);
    assert.match(missing.err, new RegExp(`^nml: calendar: cannot read .*nope\\.json \\(--calendar\\): there is no such file; ${advice}`));
    const folder = await run(['trends', 'predict', '--no-history', '--data', data, '--calendar', dir]);
    assert.equal(folder.code, 2, folder.err);
    assert.match(folder.err, new RegExp(`\\(--calendar\\): it is a folder, and a calendar is one JSON file; ${advice}`));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{bad');
    const notJson = await run(['trends', 'predict', '--no-history', '--data', data, '--calendar', broken]);
    assert.equal(notJson.code, 2, notJson.err);
    assert.match(notJson.err, /^nml: calendar: .*broken\.json \(--calendar\): not valid json \(/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict without the timeline under --datasets or trends.datasets names the setting and its fix, and says --no-history predicts without it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const data = join(dir, 'd');
    mkdirSync(data);
    // no collected documents either: --no-history is no way out, and nothing says it predicts from the timeline
    const neither = await run(['trends', 'predict', '--data', data, '--datasets', join(dir, 'no-datasets')]);
    assert.equal(neither.code, 2, neither.err);
    assert.match(neither.err, /^nml: dataset: .* is missing \(the folder named by --datasets\); give --datasets the folder that holds attack-timeline-hackmageddon [^;]*\n$/);
    assert.doesNotMatch(neither.err, /NML_DATASETS/);
    const docs = new DocStore(docsDbPath(data));
    docs.insertMany([{ source: 'news', url: null, title: 'LockBit ransomware hits hospital', text: 'LockBit ransomware hits hospital', time: Date.now() - 86_400_000, fetchedAt: Date.now(), lang: 'en', types: {}, keywords: [], simhash: simhash('LockBit ransomware hits hospital') }]);
    docs.close();
    const r = await run(['trends', 'predict', '--data', data, '--datasets', join(dir, 'no-datasets')]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^nml: dataset: .*no-datasets\/attack-timeline-hackmageddon\/\S+ is missing \(the folder named by --datasets\); give --datasets the folder [^;]*; or give --no-history to predict from the collected documents alone\n$/);
    // the folder named by trends.datasets of --config: that key of that file is what to fix (predict reads no NML_DATASETS)
    const config = join(dir, 'nml.json');
    writeFileSync(config, JSON.stringify({ trends: { datasets: join(dir, 'no-datasets') } }));
    const viaConfig = await run(['trends', 'predict', '--data', data, '--config', config]);
    assert.equal(viaConfig.code, 2, viaConfig.err);
    const cfg = config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(viaConfig.err, new RegExp(`^nml: dataset: .*no-datasets/attack-timeline-hackmageddon/\\S+ is missing \\(the folder named by trends\\.datasets of ${cfg}\\); edit trends\\.datasets in ${cfg}, or give --datasets the folder that holds attack-timeline-hackmageddon [^;]*; or give --no-history to predict from the collected documents alone\n$`));
    assert.doesNotMatch(viaConfig.err, /NML_DATASETS/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict with a damaged timeline says to restore it or name an intact copy in the setting that named its folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const data = join(dir, 'd');
    mkdirSync(data);
    const datasets = join(dir, 'datasets');
    mkdirSync(join(datasets, 'attack-timeline-hackmageddon'), { recursive: true });
    // a row of two columns under a header of seven
    writeFileSync(join(datasets, 'attack-timeline-hackmageddon', 'hackmageddon_2023plus.csv'), 'date_reported,author,target,description,attack_raw,attack_class,country\n2024-01-02,x\n');
    const flag = await run(['trends', 'predict', '--data', data, '--datasets', datasets]);
    assert.equal(flag.code, 2, flag.err);
    assert.match(flag.err, /^nml: dataset: .*hackmageddon_2023plus\.csv at line 2 cannot be read \([^)]*\); restore it from the shared datasets, or give --datasets DIR holding an intact copy\n$/);
    const config = join(dir, 'nml.json');
    writeFileSync(config, JSON.stringify({ trends: { datasets } }));
    const cfg = config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const viaConfig = await run(['trends', 'predict', '--data', data, '--config', config]);
    assert.equal(viaConfig.code, 2, viaConfig.err);
    assert.match(viaConfig.err, new RegExp(`^nml: dataset: .*hackmageddon_2023plus\\.csv at line 2 cannot be read \\([^)]*\\); restore it from the shared datasets, or edit trends\\.datasets in ${cfg} to name a folder holding an intact copy, or give --datasets DIR holding one\n$`));
    // with collected documents, predict runs without the timeline too
    const docs = new DocStore(docsDbPath(data));
    docs.insertMany([{ source: 'news', url: null, title: 'LockBit ransomware hits hospital', text: 'LockBit ransomware hits hospital', time: Date.now() - 86_400_000, fetchedAt: Date.now(), lang: 'en', types: {}, keywords: [], simhash: simhash('LockBit ransomware hits hospital') }]);
    docs.close();
    const collected = await run(['trends', 'predict', '--data', data, '--config', config]);
    assert.equal(collected.code, 2, collected.err);
    assert.match(collected.err, /; or give --no-history to predict from the collected documents alone\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the default --models is the shipped folder beside the package, whatever the working directory', () => {
  assert.equal(DEFAULT_MODELS, join(REPO_ROOT, 'models', 'trends'));
  assert.ok(isAbsolute(DEFAULT_MODELS));
});

test('nml trends predict reads only: a --data that does not exist is refused, and nothing is created there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const typo = join(dir, 'typo');
    const r = await run(['trends', 'predict', '--data', typo]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^nml: trends: no data directory at .*typo; collect documents with nml trends collect --sources FILE --data .*typo first or pass --data DIR\n$/);
    assert.equal(existsSync(typo), false, 'no typo/trends/docs.db');
    const none = await run(['trends', 'predict', '--data', dir, '--no-history']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no collected documents in .* \(no trends\/docs\.db\), and --no-history leaves out the timeline/);
    assert.equal(existsSync(join(dir, 'trends')), false, 'nothing created in an existing data directory either');
    // a collect whose sources all failed leaves an empty docs.db: the same words, not the server's
    new DocStore(docsDbPath(dir)).close();
    const empty = await run(['trends', 'predict', '--data', dir, '--no-history']);
    assert.equal(empty.code, 1, empty.err);
    assert.match(empty.err, /^nml: trends: no collected documents in .* \(trends\/docs\.db holds none yet\), and --no-history leaves out the timeline; run nml trends collect --sources FILE --data .* first, or leave out --no-history\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends train checks --models before training: a path below a file is a usage error at once, not a stack after minutes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const file = join(dir, 'lines.txt');
    writeFileSync(file, 'x\n');
    // --datasets empty: had --models not been checked first, this would be a missing dataset (or, with the data, minutes of training)
    const r = await run(['trends', 'train', '--datasets', dir, '--models', join(file, 'sub'), '--period', 'day']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /option '--models <dir>' argument '.*lines\.txt\/sub' is invalid\. .*lines\.txt is a file, so .*lines\.txt\/sub cannot be written below it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends train without --models says on stderr, before training, that it replaces the shipped models', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const r = await run(['trends', 'train', '--datasets', dir, '--period', 'day']);
    assert.equal(r.code, 2, 'no datasets under the --datasets given');
    assert.ok(r.err.startsWith(`trends train: no --models: the trained models will replace the shipped ones in ${DEFAULT_MODELS} (what nml serve, trends predict and collect read); give --models DIR to keep them\n`), r.err);
    assert.match(r.err, /hackmageddon_2023plus\.csv is missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeModels: a model file that cannot be written is one error naming it and what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const model = { toJSON: () => ({}) };
    // a folder where the threat model goes: EISDIR when written
    mkdirSync(join(dir, 'threat.json'));
    assert.throws(
      () => writeModels(dir, { attackType: model, threat: model, trend: new Map([['day', model]]) }),
      (e: unknown) =>
        isAppError(e) &&
        e.code === 'TRENDS_MODEL_UNWRITABLE' &&
        e.message === `trends train: cannot write ${join(dir, 'threat.json')}: a folder is in its place; move the folder aside, or give --models DIR of another folder, and train again`,
    );
    // the disk full and permissions, said in words (before: node's "ENOSPC: no space left on device, open …")
    const full = join(dir, 'full');
    // the model is written whole (core's writer): its temporary file is the one refused
    const TEMP_OF_ATTACK_TYPE = /\/full\/\.attack-type\.json\.\d+-[0-9a-f]{12}\.tmp$/;
    assert.throws(
      () => refusing('openSync', TEMP_OF_ATTACK_TYPE, 'ENOSPC', () => writeModels(full, { attackType: model, threat: model, trend: [] })),
      (e: unknown) => isAppError(e) && e.message === `trends train: cannot write ${join(full, 'attack-type.json')}: no space left on the disk; free space on its disk, or give --models DIR of a folder on another disk, and train again`,
    );
    assert.throws(
      () => refusing('openSync', TEMP_OF_ATTACK_TYPE, 'EACCES', () => writeModels(full, { attackType: model, threat: model, trend: [] })),
      (e: unknown) => isAppError(e) && e.message === `trends train: cannot write ${join(full, 'attack-type.json')}: permission denied; fix the permissions there, or give --models DIR of a folder you may write to, and train again`,
    );
    assert.deepEqual(writeModels(join(dir, 'new'), { attackType: model, threat: model, trend: [['week', model]] }), ['attack-type.json', 'threat.json', 'trend-week.json'].map((f) => join(dir, 'new', f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const ESC = '\x1b';
// set the window title, clear the screen, and a C1 CSI
const hostile = `${ESC}]0;PWNED\x07${ESC}[2J\u009b2J`;
const hostileShown = '\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J';

/** `trends predict` over one collected document months old, with a holiday named `holiday` on every day of the calendar. */
function predictArgs(dir: string, holiday: string): string[] {
  const data = join(dir, 'p');
  const docs = new DocStore(docsDbPath(data));
  const text = 'LockBit ransomware hits hospital';
  const time = Date.UTC(2026, 0, 5);
  docs.insertMany([{ source: 'news', url: null, title: text, text, time, fetchedAt: time, lang: 'en', types: {}, keywords: [], simhash: simhash(text) }]);
  docs.close();
  const calendar = join(dir, 'calendar.json');
  writeFileSync(calendar, JSON.stringify([{ date: '01-01', days: 366, name: holiday, kind: 'holiday', countries: ['FR'], source: 'test' }]));
  return ['trends', 'predict', '--no-history', '--data', data, '--calendar', calendar];
}

test('nml trends collect --once and predict: control characters of source and calendar names shown as \\xNN with --escape always; exact into a pipe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-esc-'));
  try {
    const sources = join(dir, 'sources.json');
    // a source that cannot be fetched (nothing listens on port 9): its line is printed all the same
    writeFileSync(sources, JSON.stringify({ fetch: { perHostIntervalMs: 0, retries: 0, timeoutMs: 2000, respectRobots: false }, sources: [{ name: `news ${hostile}`, kind: 'feed', url: 'http://127.0.0.1:9/rss' }] }));
    const collect = ['trends', 'collect', '--once', '--no-log', '--sources', sources, '--data', join(dir, 'c')];
    // a child whose stdout is a pipe: the default (auto)
    const piped = runCliSync(collect);
    assert.equal(piped.code, 1, piped.err);
    assert.ok(piped.out.startsWith(`news ${hostile} `) && piped.out.includes(' fetch failed: '), JSON.stringify(piped.out));
    // in this process: --escape always does not depend on what stdout is
    const always = await run([...collect, '--escape', 'always']);
    assert.equal(always.code, 1, always.err);
    assert.ok(always.out.startsWith(`news ${hostileShown} `) && always.out.includes(' fetch failed: ') && !always.out.includes(ESC), JSON.stringify(always.out));

    // one collected document, and a calendar entry on every day: its name is on the calendar line
    const predict = predictArgs(dir, `Day ${hostile}`);
    // the day forecast is today (read from the whole days before), not the day after the newest document
    const today = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
    const pipedPredict = runCliSync(predict);
    assert.equal(pipedPredict.code, 0, pipedPredict.err);
    assert.ok(pipedPredict.out.endsWith(`\ncalendar: ${today} Day ${hostile}\n`), JSON.stringify(pipedPredict.out));
    const alwaysPredict = await run([...predict, '--escape', 'always']);
    assert.equal(alwaysPredict.code, 0, alwaysPredict.err);
    assert.ok(alwaysPredict.out.endsWith(`\ncalendar: ${today} Day ${hostileShown}\n`) && !alwaysPredict.out.includes(ESC), JSON.stringify(alwaysPredict.out));
    // one document, months ago: every figure says it rests on too little data, and the basis says what the window held
    // (the sentences wrap at 80 columns: read with their continuation lines joined)
    const joined = pipedPredict.out.replace(/\n {6,}(?=\S)/g, ' ');
    assert.ok(joined.startsWith(`today: probability that each type is reported on ${today} (no documents in the last 28 days`), pipedPredict.out);
    assert.match(joined, /\nwarning: too little data: the last 28 days this forecast reads fall in months with fewer than the 10 documents a month/);
    for (const line of pipedPredict.out.split('\n').filter((l) => / [01]\.\d{3}\b/.test(l))) assert.match(line, / [01]\.\d{3} \[too little data\]/, line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict says its drivers in the Trends page\'s words and its probabilities as the page does, most likely first; --json keeps the names beside the words', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-words-'));
  try {
    // a holiday on every day: the shipped day model counts one today for several types, whatever today is
    const predict = predictArgs(dir, 'Day X');
    const r = await run(predict);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /\b(own|total|hacktivism|term|calendar_next|calendar_now|next_weekday):/);
    assert.match(r.out, /holiday on the day forecast \(\d{4}-\d{2}-\d{2} Day X\)/);
    const lines = r.out.split('\n').filter((l) => / [01]\.\d{3} \[too little data\]/.test(l));
    assert.equal(lines.length, 6, r.out);
    // most likely first
    const shown = lines.map((l) => Number(/ ([01]\.\d{3}) /.exec(l)?.[1]));
    assert.deepEqual(shown, [...shown].sort((a, b) => b - a), r.out);
    assert.doesNotMatch(r.out, /\d%/);
    const json = await run([...predict, '--json']);
    assert.equal(json.code, 0, json.err);
    const body = JSON.parse(json.out) as { predictions: { type: string; label: string; probability: number; drivers: { name: string; weight: number; text: string }[]; lowering: { name: string; weight: number; text: string }[] }[] };
    const drivers = body.predictions.flatMap((p) => p.drivers);
    assert.ok(drivers.length > 0);
    // what lowered each probability, in the same words, with negative weights; the text lines say the strongest
    const lowering = body.predictions.flatMap((p) => p.lowering);
    assert.ok(lowering.length > 0, json.out);
    for (const d of lowering) assert.ok(d.weight < 0 && d.text !== d.name && !/\b(own|total|term|next_weekday):/.test(d.text), JSON.stringify(d));
    // each type on a few short lines: the type and probability, then what raised and lowered it, indented
    assert.match(r.out, /\n[A-Z][^\n]* [01]\.\d{3} \[too little data\]\n {2}raised by: {2}\S[^\n]*\n( {14}\S[^\n]*\n)* {2}lowered by: \S/);
    // every line, the basis, note and warning too, within 80 columns; --json keeps each sentence whole
    for (const line of r.out.split('\n')) assert.ok(line.length <= 80, `${line.length}: ${line}`);
    assert.match(r.out, /^today: probability that each type is reported on \S+ \(no documents in the\n {7}\S/);
    assert.match(r.out, /\nnote: Daily forecasts rank the attack types[^\n]*\n {6}\S/);
    const whole = JSON.parse(json.out) as { caveat: string; warning: string };
    assert.ok(!whole.caveat.includes('\n') && whole.caveat.length > 80 && !whole.warning.includes('\n') && whole.warning.length > 80, json.out);
    // raising some types and lowering others: in either list, in the same words
    const holiday = [...drivers, ...lowering].find((d) => d.name === 'calendar_now:holiday');
    // calendar_now is the last whole day the forecast reads: the day before the day forecast
    assert.match(holiday?.text ?? '', /^holiday the day before \(\d{4}-\d{2}-\d{2} Day X\)$/);
    for (const d of drivers) assert.ok(typeof d.weight === 'number' && d.text !== d.name, JSON.stringify(d));
    assert.equal(body.predictions.find((p) => p.type === 'ransomware')?.label, 'Ransomware');
    // the window holds no document: every count and text driver raises the probability by being low, and
    // says so ("reported rarely", "few reports"), never "reported often" or "many reports" of reports that are not there
    const counted = drivers.filter((d) => /^(own|total|hacktivism):/.test(d.name));
    assert.ok(counted.length > 0, JSON.stringify(drivers));
    for (const d of counted) {
      assert.equal((d as { below?: boolean }).below, true, JSON.stringify(d));
      assert.doesNotMatch(d.text, /often|many|large share|^its attack terms|^reports of this type|^hacktivism/, JSON.stringify(d));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends collect --once (the spawned CLI, log engine on): 6 of 15 sources failing exit 0 with each named and why; every one failing exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  const srv = await startFixtureServer();
  try {
    srv.route('/rss', serve(fixture('rss.xml'), 'application/rss+xml'));
    const write = (name: string, failing: number): string => {
      const file = join(dir, name);
      const sources = Array.from({ length: 15 }, (_, i) => ({ name: `s${i}`, kind: 'feed', url: i < failing ? `${srv.url}/gone-${i}` : `${srv.url}/rss?${i}` }));
      writeFileSync(file, JSON.stringify({ fetch: { perHostIntervalMs: 0, retries: 0, timeoutMs: 2000, respectRobots: false }, sources }));
      return file;
    };
    const bad = await runCli(['trends', 'collect', '--once', '--sources', write('bad.json', 6), '--data', join(dir, 'a')]);
    assert.equal(bad.code, 0, bad.err);
    assert.match(bad.err, /^cycle: 15 sources: \d+ with new documents, \d+ with none new, 6 failed \(6 fetch failed\); \d+ new documents/);
    for (let i = 0; i < 6; i++) assert.match(bad.out, new RegExp(`^s${i} +fetch failed: .*/gone-${i} answered 404; check the source url \\[FEED_HTTP_STATUS\\]$`, 'm'));
    const good = await runCli(['trends', 'collect', '--once', '--sources', write('good.json', 0), '--data', join(dir, 'b')]);
    assert.equal(good.code, 0, good.err);
    assert.doesNotMatch(good.out, /failed/);
    const sourcesFile = write('all.json', 15);
    const all = await runCli(['trends', 'collect', '--once', '--sources', sourcesFile, '--data', join(dir, 'c')]);
    assert.equal(all.code, 1, all.err);
    assert.ok(all.err.endsWith(`\nnml: trends collect: every source of ${sourcesFile} failed, nothing was collected; each source's line above says what failed: fix those sources there, or the network\n`), all.err);
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends eval --help shows the --split default as a date', async () => {
  const r = await run(['trends', 'eval', '--help']);
  assert.match(r.out, /--split <date>\s+first day of the test months\s+\(YYYY-MM-DD\)\s+\(default:\s+2024-07-01\)/);
  assert.doesNotMatch(r.out, /1719792000000/);
});

test('nml trends eval --split refuses a day the calendar lacks (2026-02-30 was read as 2 March)', async () => {
  const r = await run(['trends', 'eval', '--split', '2026-02-30']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--split <date>.*expected a UTC day YYYY-MM-DD \(2026-12-03\), got '2026-02-30'/);
});

test("nml trends predict says under a type already reported today that it is, how many and where they are listed, below its probability; --json has it as `reported`", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-reported-'));
  try {
    const data = join(dir, 'p');
    const docs = new DocStore(docsDbPath(data));
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    // today, whatever the hour (a minute ago, or the first second of today)
    const time = Math.max(Date.parse(`${today}T00:00:00Z`), now - 60_000);
    const text = 'LockBit ransomware hits hospital';
    // and one three days before: a series of one day would forecast the day after it
    const before = 'Botnet floods a game studio';
    docs.insertMany([
      { source: 'news', url: null, title: text, text, time, fetchedAt: time, lang: 'en', types: { ransomware: 0.9 }, keywords: [], simhash: simhash(text) },
      { source: 'news', url: null, title: before, text: before, time: time - 3 * 86_400_000, fetchedAt: time, lang: 'en', types: { ddos: 0.9 }, keywords: [], simhash: simhash(before) },
    ]);
    docs.close();
    const predict = ['trends', 'predict', '--no-history', '--data', data];
    const r = await run(predict);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Ransomware '));
    assert.match(lines[at]!, /^Ransomware {21}[01]\.\d{3}/, 'the forecast stays');
    assert.equal(`${lines[at + 1]} ${lines[at + 2]!.trim()}`, `  already reported: 1 report today so far, listed by GET /api/trends/documents?type=ransomware&period=day&start=${today}`);
    assert.equal(r.out.match(/already reported/g)?.length, 1, 'only the type reported today');
    const json = await run([...predict, '--json']);
    const body = JSON.parse(json.out) as { predictions: { type: string; reported: { count: number; documents: string } | null }[] };
    assert.deepEqual(body.predictions.find((p) => p.type === 'ransomware')?.reported, { count: 1, documents: `/api/trends/documents?type=ransomware&period=day&start=${today}` });
    assert.ok(body.predictions.filter((p) => p.type !== 'ransomware').every((p) => p.reported === null));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
