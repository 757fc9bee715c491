/** The node's trends wiring: off by default, a service when enabled, collection only with a sources file, closed cleanly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { resolveConfig } from './config.js';
import { openTrends } from './trends-wiring.js';
import { PACKAGE_ROOT } from './version.js';
import type { RawRecord, RecordSink } from './core/index.js';
import { isAppError } from './core/index.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const sink: RecordSink = { congested: false, write: async (_r: RawRecord[]) => {}, whenDrained: () => Promise.resolve() };

test('trends are off by default; enabled they serve a service over <data>/trends/docs.db', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-wiring-'));
  try {
    assert.equal(openTrends(resolveConfig({ dataDir: dir }), sink, logger), null);
    const on = openTrends(resolveConfig({ dataDir: dir, trends: { enabled: true } }), sink, logger);
    assert.ok(on !== null);
    assert.ok(existsSync(join(dir, 'trends', 'docs.db')));
    assert.throws(() => on.service.overview('day', 10), (e: unknown) => isAppError(e) && e.code === 'TRENDS_NO_DATA');
    await on.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a sources file turns the collector on; a broken one is TRENDS_CONFIG_INVALID', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-wiring-'));
  try {
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [] }));
    const on = openTrends(resolveConfig({ dataDir: dir, trends: { enabled: true, sources } }), sink, logger);
    assert.deepEqual(on?.service.overview === undefined, false);
    await on?.close();
    writeFileSync(sources, '{ not json');
    assert.throws(
      () => openTrends(resolveConfig({ dataDir: dir, trends: { enabled: true, sources } }), sink, logger),
      (e: unknown) => isAppError(e) && e.code === 'TRENDS_CONFIG_INVALID',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the demo turns trends on and fills them with generated headlines the shipped models read, started from any folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-wiring-'));
  const cwd = process.cwd();
  // the default models folder is the package's: from another working folder it found no model
  process.chdir(dir);
  try {
    const on = openTrends(resolveConfig({ dataDir: dir, demo: { enabled: true, rate: 200 } }), sink, logger);
    assert.ok(on !== null);
    const week = on.service.overview('week', 26);
    assert.ok(week.basis.collectedDocs > 500, `${week.basis.collectedDocs} documents`);
    assert.equal(week.types.length, 6);
    const ransomware = week.types.find((t) => t.type === 'ransomware')!;
    const observed = ransomware.points.map((p) => p.observed ?? 0);
    // the campaign of the last three weeks: the classifier counts more ransomware reports than in the months before
    const recent = observed.slice(-3).reduce((a, b) => a + b, 0) / 3;
    const before = observed.slice(0, -5).reduce((a, b) => a + b, 0) / Math.max(1, observed.length - 5);
    assert.ok(recent > 1.5 * before, `recent ${recent} vs before ${before}`);
    await on.close();
    // a restart keeps the same documents instead of adding another half-year
    const again = openTrends(resolveConfig({ dataDir: dir, demo: { enabled: true, rate: 200 } }), sink, logger)!;
    assert.equal(again.service.overview('week', 26).basis.collectedDocs, week.basis.collectedDocs);
    await again.close();
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml serve with trends.datasets naming a folder without the timeline says to fix trends.datasets, not --datasets or NML_DATASETS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-wiring-'));
  try {
    const config = resolveConfig({ dataDir: dir, trends: { enabled: true, datasets: join(dir, 'no-datasets') } });
    assert.throws(
      () => openTrends(config, sink, logger),
      (e: unknown) =>
        isAppError(e) &&
        e.code === 'TRENDS_DATASET_NOT_FOUND' &&
        /^dataset: .*no-datasets\/attack-timeline-hackmageddon\/\S+ is missing \(the folder named by trends\.datasets in the configuration\); point trends\.datasets at the folder that holds attack-timeline-hackmageddon .*, or set it to null to leave the timeline out$/.test(e.message) &&
        !/NML_DATASETS|--datasets/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml serve with a damaged timeline under trends.datasets says to restore it or point trends.datasets at an intact copy, not --datasets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-wiring-'));
  try {
    const datasets = join(dir, 'datasets');
    mkdirSync(join(datasets, 'attack-timeline-hackmageddon'), { recursive: true });
    writeFileSync(join(datasets, 'attack-timeline-hackmageddon', 'hackmageddon_2023plus.csv'), 'date_reported,author,target,description,attack_raw,attack_class,country\n2024-01-02,x\n');
    assert.throws(
      () => openTrends(resolveConfig({ dataDir: dir, trends: { enabled: true, datasets } }), sink, logger),
      (e: unknown) =>
        isAppError(e) &&
        e.code === 'TRENDS_DATASET_INVALID' &&
        /^dataset: .*hackmageddon_2023plus\.csv at line 2 cannot be read \([^)]*\); restore it from the shared datasets, or point trends\.datasets at a folder holding an intact copy, or set it to null to leave the timeline out$/.test(e.message) &&
        !/--datasets|NML_DATASETS/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml serve refuses a trends.models that lacks a model the page reads (no folder, no model, threat.json alone, one period\'s) at start-up, as nml trends predict --config does, instead of fitting models on the fly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-wiring-'));
  try {
    const empty = join(dir, 'empty-models');
    mkdirSync(empty);
    // threat.json alone: nml trends eval's model, none the page's forecast reads (it fitted every model on the fly)
    const threatOnly = join(dir, 'threat-only');
    mkdirSync(threatOnly);
    writeFileSync(join(threatOnly, 'threat.json'), '{}');
    for (const [models, why] of [
      [join(dir, 'typo'), 'the folder does not exist'],
      [empty, 'it holds no trend-day.json (the daily forecast), trend-week.json (the weekly forecast), nor any other model'],
      [threatOnly, 'it holds no trend-day.json (the daily forecast), trend-week.json (the weekly forecast); it holds threat.json'],
    ] as const) {
      const data = join(dir, `data-${why.length}`);
      assert.throws(
        () => openTrends(resolveConfig({ dataDir: data, trends: { enabled: true, models } }), sink, logger),
        (e: unknown) =>
          isAppError(e) &&
          e.code === 'TRENDS_MODEL_NOT_FOUND' &&
          e.kind === 'bad_request' &&
          e.message === `trends: no models in ${models} (trends.models in the configuration): ${why}; point trends.models at the folder nml trends train wrote, or remove it for the shipped ${join(PACKAGE_ROOT, 'models', 'trends')}`,
      );
      // refused before the document store is made
      assert.equal(existsSync(join(data, 'trends', 'docs.db')), false);
    }
    // the day's model alone: the weekly view would be fitted on the fly; refused, naming the one it lacks
    const shipped = (f: string) => readFileSync(join(PACKAGE_ROOT, 'models', 'trends', f), 'utf8');
    writeFileSync(join(empty, 'trend-day.json'), shipped('trend-day.json'));
    assert.throws(
      () => openTrends(resolveConfig({ dataDir: join(dir, 'day-only'), trends: { enabled: true, models: empty } }), sink, logger),
      (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_NOT_FOUND' && e.message.includes(': it holds no trend-week.json (the weekly forecast); it holds trend-day.json; point trends.models at'),
    );
    // both periods' models: read; with sources to collect from, the attack-type classifier is asked for too
    writeFileSync(join(empty, 'trend-week.json'), shipped('trend-week.json'));
    const on = openTrends(resolveConfig({ dataDir: join(dir, 'ok'), trends: { enabled: true, models: empty } }), sink, logger);
    assert.ok(on !== null);
    await on.close();
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [] }));
    assert.throws(
      () => openTrends(resolveConfig({ dataDir: join(dir, 'collect'), trends: { enabled: true, models: empty, sources } }), sink, logger),
      (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_NOT_FOUND' && e.message.includes(': it holds no attack-type.json (the attack-type classifier the collector scores documents with); it holds trend-day.json, trend-week.json;'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
