/**
 * `nml trends predict` and the Trends page of `nml serve` read the same inputs for the same configuration
 * and data directory, and give the same figures: the CLI added the HACKMAGEDDON timeline by default
 * (../shared/datasets) while the server added it only with `trends.datasets`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { runCliSync, runInProcess } from '../testing.js';
import { filePatch, resolveConfig } from '../../config.js';
import { openTrends } from '../../trends-wiring.js';
import { DocStore, simhash } from '../../trends/index.js';
import { isAppError, type RecordSink } from '../../core/index.js';
import { DEFAULT_MODELS } from './trends.js';
import { docsDbPath } from './trends-documents.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const sink: RecordSink = { congested: false, write: async () => {}, whenDrained: () => Promise.resolve() };
const DAY = 86_400_000;
const TYPES = ['ransomware', 'ddos', 'malware', 'account_takeover'];
const RAW = ['Ransomware', 'DDoS', 'Malware', 'Account Takeover', 'SQLi', 'Targeted Attack'];

/** 60 collected documents and a timeline of 45 incidents, all in the last 40 days: both enter the window the forecast reads. */
function inputs(dir: string): { data: string; datasets: string } {
  const data = join(dir, 'data');
  const docs = new DocStore(docsDbPath(data));
  const now = Date.now();
  docs.insertMany(
    Array.from({ length: 60 }, (_, i) => {
      const text = `${TYPES[i % 4]} attack ${i} on a hospital network`;
      const time = now - (1 + ((i * 7) % 40)) * DAY;
      return { source: 'news', url: `https://news.example/${i}`, title: `story ${i}`, text, time, fetchedAt: time, lang: 'en', types: { [TYPES[i % 4]!]: 0.9 }, keywords: [], simhash: simhash(`${i} ${text}`) };
    }),
  );
  docs.close();
  const datasets = join(dir, 'datasets');
  mkdirSync(join(datasets, 'attack-timeline-hackmageddon'), { recursive: true });
  const rows = Array.from({ length: 45 }, (_, i) => {
    const day = new Date(now - (1 + ((i * 5) % 38)) * DAY).toISOString().slice(0, 10);
    return `${day},Group ${i},Target ${i},${RAW[(i * 5) % 6]} attack number ${i} on target ${i},${RAW[(i * 5) % 6]},${i % 3 === 0 ? 'H' : 'CC'},US`;
  });
  writeFileSync(join(datasets, 'attack-timeline-hackmageddon', 'hackmageddon_2023plus.csv'), ['date_reported,author,target,description,attack_raw,attack_class,country', ...rows].join('\n') + '\n');
  return { data, datasets };
}

interface Predicted {
  basis: { historyDocs: number; collectedDocs: number };
  predictions: { type: string; probability: number }[];
}

/** What nml serve with this configuration file answers for the next day, as predict --json says it. */
async function served(config: string, data: string): Promise<Predicted> {
  const running = openTrends(resolveConfig(filePatch(config), { dataDir: data }), sink, logger);
  assert.ok(running !== null);
  try {
    const o = running.service.overview('day', 1);
    return { basis: o.basis, predictions: o.types.map((t) => ({ type: t.type, probability: t.next.probability })) };
  } finally {
    await running.close();
  }
}

async function predicted(args: string[]): Promise<Predicted> {
  const r = await runInProcess(['trends', 'predict', '--json', ...args]);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Predicted;
}

const figures = (p: Predicted) => ({ historyDocs: p.basis.historyDocs, collectedDocs: p.basis.collectedDocs, probabilities: Object.fromEntries(p.predictions.map((x) => [x.type, x.probability])) });

test('nml trends predict and nml serve give the same figures for the same configuration and data directory, with and without trends.datasets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-agree-'));
  try {
    const { data, datasets } = inputs(dir);
    const withTimeline = join(dir, 'with.json');
    writeFileSync(withTimeline, JSON.stringify({ trends: { enabled: true, datasets } }));
    const without = join(dir, 'without.json');
    writeFileSync(without, JSON.stringify({ trends: { enabled: true } }));

    const cliWith = figures(await predicted(['--config', withTimeline, '--data', data]));
    assert.deepEqual(cliWith, figures(await served(withTimeline, data)));
    assert.equal(cliWith.historyDocs, 45, 'the timeline trends.datasets names');
    const cliWithout = figures(await predicted(['--config', without, '--data', data]));
    assert.deepEqual(cliWithout, figures(await served(without, data)));
    assert.equal(cliWithout.historyDocs, 0, 'no trends.datasets: no timeline, as nml serve (no ../shared/datasets by default)');
    assert.notDeepEqual(cliWith.probabilities, cliWithout.probabilities, 'the timeline moves the figures: the comparison can tell');
    // no configuration file at all: the default configuration, as nml serve --demo reads it (no timeline)
    assert.deepEqual(figures(await predicted(['--data', data])), cliWithout);
    // --datasets names it on the command line: the figures of the configuration that names the same folder
    assert.deepEqual(figures(await predicted(['--config', without, '--data', data, '--datasets', datasets])), cliWith);
    assert.deepEqual(figures(await predicted(['--config', withTimeline, '--data', data, '--no-history'])), cliWithout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict says in its basis line where the incident timeline came from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-agree-'));
  try {
    const { data, datasets } = inputs(dir);
    const config = join(dir, 'with.json');
    writeFileSync(config, JSON.stringify({ trends: { datasets } }));
    const fromConfig = await runInProcess(['trends', 'predict', '--config', config, '--data', data]);
    assert.equal(fromConfig.code, 0, fromConfig.err);
    // the basis sentence, its lines (wrapped at 80 columns, continuation lines under its first word) joined
    const basis = (out: string): string => out.replace(/\n {7,}(?=\S)/g, ' ').split('\n')[0]!;
    assert.match(basis(fromConfig.out), /\d+ dated incident reports \(trends\.datasets\) of the last 28 days/);
    const fromFlag = await runInProcess(['trends', 'predict', '--data', data, '--datasets', datasets]);
    assert.match(basis(fromFlag.out), /\d+ dated incident reports \(--datasets\) of the last 28 days/);
    // neither, and no collected documents: said, with the ways out
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await runInProcess(['trends', 'predict', '--data', empty]);
    assert.equal(none.code, 1, none.err);
    assert.match(none.err, /^nml: trends: no collected documents in .*empty \(no trends\/docs\.db\), and no incident timeline: neither --datasets nor trends\.datasets of --config names one; run nml trends collect --sources FILE --data .*empty first, or give --datasets DIR holding attack-timeline-hackmageddon\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict and nml serve refuse the same trends.models naming no models, with the same code and the key to fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-agree-'));
  try {
    const { data } = inputs(dir);
    const typo = join(dir, 'modles');
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ trends: { enabled: true, models: typo } }));
    const cli = await runInProcess(['trends', 'predict', '--config', config, '--data', data]);
    assert.equal(cli.code, 2, cli.err);
    assert.ok(cli.err.startsWith(`nml: trends: no models in ${typo} (trends.models of ${config}): the folder does not exist; edit trends.models in ${config}`), cli.err);
    // the server fitted models on the fly in silence: a typo changed what the page showed
    const server = runCliSync(['serve', '--config', config, '--data', join(dir, 'served'), '--http-host', '127.0.0.1', '--http-port', '0', '--syslog-port', '0'], { timeoutMs: 30_000 });
    assert.equal(server.code, 2, `nml serve started (or was killed) instead of refusing; stderr:\n${server.err}`);
    assert.equal(server.err, `nml: trends: no models in ${typo} (trends.models in the configuration): the folder does not exist; point trends.models at the folder nml trends train wrote, or remove it for the shipped ${DEFAULT_MODELS}\n`);
    assert.throws(() => openTrends(resolveConfig(filePatch(config), { dataDir: data }), sink, logger), (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_NOT_FOUND');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
