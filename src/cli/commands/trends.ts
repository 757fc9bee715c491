/** `nml trends collect | train | eval | predict | documents`: text collection, model training, time-split evaluation, next-period predictions and the collected documents. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { AppError, describeCause, errnoOf, isAppError } from '../../core/index.js';
import {
  BASELINES,
  DEFAULT_CALENDAR,
  DEFAULT_SPLIT,
  DocStore,
  MODEL_FILES,
  TrendsCollector,
  TrendsService,
  attackTypeScorer,
  evaluateAll,
  everySourceFailed,
  loadCalendarFile,
  loadJapanese,
  loadModels,
  loadThreatModel,
  readCollectorConfig,
  renderMarkdown,
  saveModel,
  sourceOutcome,
  trainAll,
  type CalendarEntry,
  type Period,
  type SourceOutcome,
  type SourceOutcomeKind,
  type TimedDoc,
  type TrendsOverview,
} from '../../trends/index.js';
import { loadConfig, type CommonFlags, DATA_HELP } from '../open.js';
import { escapeOption, shownText, type EscapeMode } from '../output.js';
import { openStore } from '../../open-store.js';
import { outputDir, outputFile, positiveInt, utcDay } from './args.js';
import { writeFileWhole } from './write-whole.js';
import { collectHint, docsDbPath, registerDocuments, requireTrendsDataDir } from './trends-documents.js';
import { predictionLines, wrappedText } from './predict-lines.js';
import { trendsBasisText } from '../../trends/basis-text.js';
import { TOO_LITTLE_DATA } from '../../trends/caveats.js';
import { driverText, nextPeriodText, probabilityText, reportedText, shownDrivers } from '../../trends/driver-text.js';
import { defaultConfig } from '../../config.js';
import type { NmlConfig } from '../../config-types.js';
import { modelsNeeded, requireModelsDir as requireModels, requireShippedModels, SHIPPED_MODELS, trendsCalendar, trendsHistory, trendsModels, trendsModelsDir } from '../../trends-wiring.js';
import { DEFAULT_DATASETS } from './datasets-dir.js';
import { firstStopSignal } from '../signals.js';

/** The shipped models, beside the package (not under the working directory: the results of a command do not depend on where it is run). */
export const DEFAULT_MODELS = SHIPPED_MODELS;

interface ModelFlags {
  datasets: string;
  models: string;
  seed: number;
  calendar?: string;
}

function period(v: string): Period[] {
  if (v === 'day' || v === 'week') return [v];
  if (v === 'both') return ['day', 'week'];
  throw new InvalidArgumentError(`expected day, week or both, got '${v}'`);
}

/** The models under `--models`, once requireModelsDir has passed (eval reads the threat model alone, with loadThreatModel). */
function loadModelsAt(dir: string, given: boolean, needs: readonly string[], via?: string, fix?: string): ReturnType<typeof loadModels> {
  requireModelsDir(dir, given, needs, via, fix);
  return loadModels(dir);
}

/** The folder must hold the models the command reads, `needs`: one named on the command line (`given`), and the shipped one (trends-wiring.ts requireModelsDir, requireShippedModels). */
function requireModelsDir(dir: string, given: boolean, needs: readonly string[], via = '--models', fix = `give the folder nml trends train wrote, or leave --models out for the shipped ${DEFAULT_MODELS}`): void {
  if (given) requireModels(dir, via, fix, needs);
  else requireShippedModels(needs, 'give --models DIR of the folder it wrote');
}

/** predict forecasts one period at a time */
function onePeriod(v: string): Period {
  if (v === 'day' || v === 'week') return v;
  throw new InvalidArgumentError(`expected day or week, got '${v}'`);
}

function calendarOf(flags: { calendar?: string }): CalendarEntry[] {
  return flags.calendar === undefined ? DEFAULT_CALENDAR : loadCalendarFile(flags.calendar);
}

/** The options train, eval and predict share; `models` checks --models as it is parsed (train: a folder it can write). */
function modelOptions(cmd: Command, models: (v: string) => string = (v) => v): Command {
  return cmd
    .option('--datasets <dir>', 'folder holding the shared datasets', DEFAULT_DATASETS)
    .option('--models <dir>', 'model directory', models, DEFAULT_MODELS)
    .option('--seed <n>', 'random seed', positiveInt, 1)
    .option('--calendar <file>', 'JSON calendar of dates that draw attacks (default: the built-in one)');
}

function registerCollect(trends: Command): void {
  trends
    .command('collect')
    .description('fetch the configured feeds, timelines and pages into <data>/trends/docs.db and the log engine')
    .requiredOption('--sources <file>', 'JSON file: { sources: [...], fetch?: {...}, proxy?: "host:port" }')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--models <dir>', 'model directory (attack-type classifier)', DEFAULT_MODELS)
    .option('--once', 'one cycle over every source, then exit: each source\'s line says what came of it (new documents, none new and why, or what failed: the fetch, with its status or network error, or the feed\'s parse); exit 1 only when every source failed, 0 when any answered')
    .option('--no-log', 'do not write documents to the log engine')
    .addOption(escapeOption())
    .action(async (flags: CommonFlags & { sources: string; models: string; once?: boolean; log: boolean; escape: EscapeMode }, cmd: Command) => {
      const config = loadConfig(flags);
      // source names come from a sources file that may be shared or generated from feed lists
      const shown = shownText(flags.escape);
      const cfg = readCollectorConfig(flags.sources, '--sources');
      // the collector classifies what it stores: without the attack-type classifier it would count no type
      const models = loadModelsAt(flags.models, cmd.getOptionValueSource('models') === 'cli', modelsNeeded([], true));
      await loadJapanese();
      const docs = new DocStore(docsDbPath(config.dataDir));
      const store = flags.log ? openStore(config, { onProblem: (m) => process.stderr.write(`nml: ${m}\n`) }) : null;
      const scorer = models.attackType === null ? null : attackTypeScorer(models.attackType);
      const collector = new TrendsCollector(cfg, docs, store?.writer ?? null, scorer);
      try {
        if (flags.once === true) {
          const r = await collector.runCycle(true);
          const stats = collector.sourceStats();
          const outcomes = stats.map(sourceOutcome);
          stats.forEach((s, k) => {
            // items stored at their fetch time: dated over a day ahead of it, or without a readable date
            const dates = `${s.futureDated > 0 ? `; ${s.futureDated} future-dated (stored as fetched)` : ''}${s.undated > 0 ? `; ${s.undated} undated (stored as fetched)` : ''}`;
            process.stdout.write(shown(`${s.name.padEnd(24)} ${outcomes[k]!.text}${dates}`) + '\n');
          });
          const clamped = stats.reduce((a, x) => a + x.futureDated + x.undated, 0);
          process.stderr.write(`cycle: ${r.sources} sources: ${cycleTally(outcomes)}; ${r.stored} new documents, ${r.ms} ms${clamped > 0 ? `; ${clamped} dated at fetch time (future or unreadable date)` : ''}\n`);
          // 1 when nothing could be collected at all; a failing source beside ones that answered is named above, exit 0
          if (everySourceFailed(outcomes)) {
            process.stderr.write(`nml: trends collect: every source of ${resolve(flags.sources)} failed, nothing was collected; each source's line above says what failed: fix those sources there, or the network\n`);
            process.exitCode = 1;
          }
        } else {
          collector.start();
          process.stderr.write(`collecting from ${cfg.sources.length} sources; Ctrl-C stops\n`);
          // a second signal while the collector stops ends the process at once
          await firstStopSignal();
        }
      } finally {
        await collector.stop();
        await store?.writer.flush();
        await store?.close();
        docs.close();
      }
    });
}

/** `1 with new documents, 1 with none new, 4 failed (3 fetch failed, 1 not parseable)`: the outcomes by kind. */
function cycleTally(outcomes: readonly SourceOutcome[]): string {
  const n = (kinds: readonly SourceOutcomeKind[]) => outcomes.filter((o) => kinds.includes(o.kind)).length;
  const failed = ([['fetch_failed', 'fetch failed'], ['not_fetched', 'not fetched'], ['not_parseable', 'not parseable']] as const).map(([k, words]) => [n([k]), words] as const).filter(([c]) => c > 0);
  const total = failed.reduce((a, [c]) => a + c, 0);
  return `${n(['stored'])} with new documents, ${n(['none_new'])} with none new, ${total} failed${total === 0 ? '' : ` (${failed.map(([c, w]) => `${c} ${w}`).join(', ')})`}`;
}

/** What trains writes: the two text classifiers and a trend model per period. */
interface Saveable {
  toJSON(): unknown;
}

/**
 * Writes the trained models into `dir`, one file each; a write that fails (disk full, a file there
 * that is a folder, permissions) is one error naming the file, not a stack after minutes of training.
 */
export function writeModels(dir: string, m: { attackType: Saveable; threat: Saveable; trend: Iterable<[Period, Saveable]> }): string[] {
  const files: [string, Saveable][] = [[MODEL_FILES.attackType, m.attackType], [MODEL_FILES.threat, m.threat]];
  for (const [p, tm] of m.trend) files.push([MODEL_FILES.trend(p), tm]);
  return files.map(([file, model]) => {
    try {
      return saveModel(dir, file, model);
    } catch (e) {
      throw new AppError('TRENDS_MODEL_UNWRITABLE', 'unavailable', `trends train: cannot write ${join(resolve(dir), file)}: ${modelWriteWhy(e)}, and train again`, { dir: resolve(dir), file }, e);
    }
  });
}

/** Why a model file was not written and what to do, by the errno: describeCause's words, not node's "EISDIR: illegal operation on a directory, open …". */
function modelWriteWhy(e: unknown): string {
  switch (errnoOf(e)) {
    case 'EISDIR':
      return 'a folder is in its place; move the folder aside, or give --models DIR of another folder';
    case 'ENOSPC':
    case 'EDQUOT':
      return `${describeCause(e)}; free space on its disk, or give --models DIR of a folder on another disk`;
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder; give --models DIR of a folder';
    default:
      return `${describeCause(e)}; fix the permissions there, or give --models DIR of a folder you may write to`;
  }
}

/**
 * The folder train writes, checked before training (minutes): a --models given is checked as it is
 * parsed; the default, the shipped models that nml serve and predict read, is checked here and said
 * on stderr, since training replaces them (the way to retrain them; --models keeps them as they are).
 */
function modelsToWrite(flags: ModelFlags, cmd: Command): string {
  if (cmd.getOptionValueSource('models') !== 'default') return flags.models;
  try {
    outputDir(flags.models);
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    throw new AppError('TRENDS_MODEL_UNWRITABLE', 'unavailable', `trends train: cannot write the shipped models in ${flags.models}: ${e.message}; give --models DIR (then --models DIR to predict and collect, or trends.models in the config for nml serve)`, { dir: flags.models });
  }
  process.stderr.write(`trends train: no --models: the trained models will replace the shipped ones in ${flags.models} (what nml serve, trends predict and collect read); give --models DIR to keep them\n`);
  return flags.models;
}

function registerTrain(trends: Command): void {
  modelOptions(trends.command('train'), outputDir)
    .description('train the attack-type and threat text classifiers and the trend models on all the data; write them to --models (default: replace the shipped models)')
    .option('--period <p>', 'day, week or both', period, ['day', 'week'] as Period[])
    .action((flags: ModelFlags & { period: Period[] }, cmd: Command) => {
      const dir = modelsToWrite(flags, cmd);
      const started = performance.now();
      const m = trainAll({ datasetsDir: flags.datasets, periods: flags.period, seed: flags.seed, calendar: calendarOf(flags) });
      const written = writeModels(dir, m);
      process.stderr.write(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${flags.seed}):\n${written.map((w) => `  ${w}`).join('\n')}\n`);
    });
}

function registerEval(trends: Command): void {
  modelOptions(trends.command('eval'))
    .description('time-split evaluation: text classifiers, and per attack type the trend model against naive baselines')
    .option('--period <p>', 'day, week or both', period, ['day'] as Period[])
    // the default shown as the date it is, not as epoch milliseconds
    .addOption(new Option('--split <date>', 'first day of the test months (YYYY-MM-DD)').argParser(utcDay).default(Date.parse(`${DEFAULT_SPLIT}T00:00:00Z`), DEFAULT_SPLIT))
    .option('--trends-only', 'skip the text classifiers')
    .option('--json', 'print JSON')
    .option('--report <file>', 'also write the markdown report here', outputFile)
    .action((flags: ModelFlags & { period: Period[]; split: number; trendsOnly?: boolean; json?: boolean; report?: string }, cmd: Command) => {
      const trendsOnly = flags.trendsOnly === true;
      // the shipped (or --models) threat model is scored on text it never saw; the others are retrained on a split
      // the shipped folder without threat.json is said below, not refused: the trend models are measured all the same
      if (!trendsOnly && cmd.getOptionValueSource('models') === 'cli') requireModelsDir(flags.models, true, [MODEL_FILES.threat]);
      const threat = trendsOnly ? null : loadThreatModel(flags.models);
      const threatFile = join(flags.models, MODEL_FILES.threat);
      if (!trendsOnly && threat === null) process.stderr.write(`trends eval: no ${threatFile}: the threat model's transfer is not measured; run 'nml trends train' or give --models DIR holding it\n`);
      // the report names the shipped file as the repository does, not by this checkout's absolute path
      const shown = cmd.getOptionValueSource('models') === 'default' ? `models/trends/${MODEL_FILES.threat} (shipped)` : threatFile;
      const report = evaluateAll({ datasetsDir: flags.datasets, periods: flags.period, splitAt: flags.split, seed: flags.seed, calendar: calendarOf(flags), trendsOnly, threat: threat === null ? null : { model: threat, file: shown } });
      const md = renderMarkdown(report);
      if (flags.report !== undefined) writeFileWhole(flags.report, md + '\n', 'report');
      if (flags.json === true) {
        // points are for the UI and the report's readers, not the per-type metrics asked for here
        const slim = { ...report, trends: report.trends.map(({ points: _points, ...t }) => t) };
        process.stdout.write(JSON.stringify(slim, null, 2) + '\n');
      } else {
        process.stdout.write(md + '\n');
      }
    });
}

/** Where predict's incident timeline comes from: --datasets, else trends.datasets of the configuration, as nml serve reads it; null: none. */
function timelineSource(flags: { datasets?: string; history: boolean }, config: Readonly<NmlConfig>): { dir: string; from: '--datasets' | 'trends.datasets' } | null {
  if (!flags.history) return null;
  if (flags.datasets !== undefined) return { dir: flags.datasets, from: '--datasets' };
  return config.trends.datasets === null ? null : { dir: config.trends.datasets, from: 'trends.datasets' };
}

/**
 * The models predict reads: --models, else trends.models of --config, else the shipped ones. A folder
 * named by either must hold the trend model of the period (a typo, or a folder of threat.json alone, would fit models on the fly without a word), and the
 * message says the fix for the one that named it: without --models the default is trends.models of the
 * config where it sets one, not the shipped models.
 */
function predictModels(flags: { models?: string; config?: string; period: Period }, config: Readonly<NmlConfig>): ReturnType<typeof loadModels> {
  // the trend model of the period forecast (the documents were classified as they were collected)
  const needs = modelsNeeded([flags.period]);
  const configured = trendsModelsDir(config.trends);
  const fromConfig = config.trends.models !== defaultConfig().trends.models && flags.config !== undefined ? flags.config : null;
  const train = 'the folder nml trends train wrote';
  if (flags.models !== undefined) {
    const otherwise = fromConfig === null ? `the shipped ${DEFAULT_MODELS}` : `trends.models of ${fromConfig} (${configured})`;
    return loadModelsAt(flags.models, true, needs, '--models', `give ${train}, or leave --models out for ${otherwise}`);
  }
  // trends.models is set only by a --config file (no variable sets it): serve's check, in the words of that file
  const file = flags.config ?? 'the configuration';
  return trendsModels(config.trends, needs, { via: `trends.models of ${file}`, fix: `edit trends.models in ${file} to name ${train} (or remove it for the shipped ${DEFAULT_MODELS}), or give --models DIR` });
}

function registerPredict(trends: Command): void {
  trends
    .command('predict')
    .description('probability per attack type that it is reported in the current period (today, this week; read from the whole periods before it), most likely first, with the terms and dates behind it; reads what nml serve reads for the Trends page (the documents under --data, trends.* of --config), so both give the same figures')
    .option('--period <p>', 'day or week', onePeriod, 'day' as Period)
    .option('--data <dir>', `${DATA_HELP}; it holds the collected documents`)
    .option('--config <file>', 'JSON configuration file: its trends.datasets, trends.models and trends.calendar, as nml serve reads them')
    .option('--datasets <dir>', 'add the HACKMAGEDDON incident timeline of this datasets folder (default: trends.datasets of --config, as nml serve; none when unset)')
    .option('--models <dir>', `model directory (default: trends.models of --config, else the shipped ${DEFAULT_MODELS})`)
    .option('--calendar <file>', 'JSON calendar of dates that draw attacks (default: trends.calendar of --config, else the built-in one)')
    .option('--no-history', 'leave out the incident timeline even where --datasets or trends.datasets names one')
    .option('--json', 'print JSON (JSON-escaped: --escape does not apply)')
    .addOption(escapeOption())
    .action((flags: CommonFlags & { datasets?: string; models?: string; calendar?: string; period: Period; history: boolean; json?: boolean; escape: EscapeMode }) => {
      const config = loadConfig(flags);
      const models = predictModels(flags, config);
      // a calendar that will not read is said before anything about the documents
      const calendar = flags.calendar === undefined ? trendsCalendar(config.trends) : loadCalendarFile(flags.calendar);
      const timeline = timelineSource(flags, config);
      const docs = openDocsToRead(config.dataDir, timeline === null ? (flags.history ? 'unset' : 'left-out') : null);
      try {
        const history: TimedDoc[] = timeline === null ? [] : timelineToPredict(timeline, flags.config, docs !== null);
        // said once the timeline has read: it is all the prediction rests on
        if (docs === null) process.stderr.write(`trends: no collected documents in ${resolve(config.dataDir)} (no trends/docs.db); predicting from the timeline alone\n`);
        const svc = new TrendsService({ store: docs, models, history, calendar });
        const o = svc.overview(flags.period, 1);
        if (flags.json === true) {
          // each driver keeps its name and weight for scripts, and says itself in the words the text output uses
          const said = (ds: TrendsOverview['types'][number]['next']['drivers']) => ds.map((d) => ({ ...d, text: driverText(d, o.period) }));
          const predictions = o.types.map((t) => ({ type: t.type, label: t.label, ...t.next, drivers: said(t.next.drivers), lowering: said(t.next.lowering) }));
          process.stdout.write(JSON.stringify({ period: o.period, basis: o.basis, caveat: o.caveat, warning: o.warning, predictions }, null, 2) + '\n');
          return;
        }
        // what each figure below is the probability of, as the page says it on each card
        const start = o.types[0]?.next.start;
        // each sentence wrapped at 80 columns as the types' lines are (on one line they took up to 320)
        const lines = wrappedText(`${o.period === 'day' ? 'today' : 'this week'}: `, `probability that each type is ${start === undefined ? '-' : nextPeriodText(start, o.period)} (${trendsBasisText(o.basis, o.period, timeline?.from)})`);
        if (o.caveat !== null) lines.push(...wrappedText('note: ', o.caveat));
        if (o.warning !== null) lines.push(...wrappedText('warning: ', o.warning));
        // most likely first: a reader scans for what to expect (the page keeps the model's order, one chart per type)
        const likeliest = [...o.types].sort((a, b) => b.next.probability - a.next.probability);
        for (const t of likeliest) {
          // the Trends page's words: "national day now (2026-12-01 Great Union Day (Romania))", not calendar_now:national_day
          const raised = shownDrivers(t.next.drivers, 4).map((d) => driverText(d, o.period));
          // what held it down, as the page's "lowered it" list (its strongest two)
          const lowered = shownDrivers(t.next.lowering, 2).map((d) => driverText(d, o.period));
          const flag = t.next.warning === null ? '' : ` [${TOO_LITTLE_DATA}]`;
          // the type already reported in the period forecast: said, with where the documents are listed
          const r = t.next.reported;
          const reported = r === null ? null : `${reportedText(r.count, o.period)}, listed by GET ${r.documents}`;
          lines.push(...predictionLines(t.label, `${probabilityText(t.next.probability)}${flag}`, raised, lowered, undefined, reported));
        }
        const cal = o.types[0]?.next.calendar ?? [];
        if (cal.length > 0) lines.push(...wrappedText('calendar: ', cal.join('; ')));
        // the drivers' terms come from collected texts, the calendar's names from a --calendar file
        process.stdout.write(lines.map(shownText(flags.escape)).join('\n') + '\n');
      } finally {
        docs?.close();
      }
    });
}

/** Where the hackmageddon timeline of the shared datasets is, said in the fix for a missing one. */
const HOLDING_TIMELINE = 'the folder that holds attack-timeline-hackmageddon (../shared/datasets beside a checkout)';

/**
 * The HACKMAGEDDON timeline predict adds to the collected documents. A missing or damaged file says the
 * fix for the setting that named the folder (--datasets, or trends.datasets of the --config file);
 * predict reads no NML_DATASETS. Where there are collected documents, also that predict runs without it.
 */
function timelineToPredict(timeline: { dir: string; from: '--datasets' | 'trends.datasets' }, configFile: string | undefined, collected: boolean): TimedDoc[] {
  const named =
    timeline.from === '--datasets' || configFile === undefined
      ? { via: '--datasets', fix: `give --datasets ${HOLDING_TIMELINE}`, intact: 'give --datasets DIR holding an intact copy' }
      : { via: `trends.datasets of ${configFile}`, fix: `edit trends.datasets in ${configFile}, or give --datasets ${HOLDING_TIMELINE}`, intact: `edit trends.datasets in ${configFile} to name a folder holding an intact copy, or give --datasets DIR holding one` };
  try {
    return trendsHistory(timeline.dir, named);
  } catch (e) {
    // without collected documents either, --no-history is no way out
    if (!isAppError(e) || (e.code !== 'TRENDS_DATASET_NOT_FOUND' && e.code !== 'TRENDS_DATASET_INVALID') || !collected) throw e;
    throw new AppError(e.code, e.kind, `${e.message}; or give --no-history to predict from the collected documents alone`, e.details, e);
  }
}

/**
 * The collected documents for a command that reads them (predict): nothing is created. A data
 * directory named by --data, the config or NML_DATA must exist (a typo is not "no documents"); without
 * collected documents the prediction rests on the timeline alone, and stderr says so. `noTimeline`: why
 * there is no timeline to fall back on (--no-history, or neither --datasets nor trends.datasets), null when there is one.
 */
function openDocsToRead(dataDir: string, noTimeline: 'left-out' | 'unset' | null): DocStore | null {
  const dir = resolve(dataDir);
  requireTrendsDataDir(dir);
  const hint = collectHint(dir);
  const path = docsDbPath(dir);
  const none = (why: string) =>
    new AppError(
      'TRENDS_NO_DATA',
      'not_found',
      noTimeline === 'left-out'
        ? `trends: no collected documents in ${dir} (${why}), and --no-history leaves out the timeline; run ${hint} first, or leave out --no-history`
        : `trends: no collected documents in ${dir} (${why}), and no incident timeline: neither --datasets nor trends.datasets of --config names one; run ${hint} first, or give --datasets DIR holding attack-timeline-hackmageddon`,
      { dataDir: dir },
    );
  const history = noTimeline === null;
  if (existsSync(path)) {
    const docs = new DocStore(path);
    // a collect whose sources all failed leaves an empty docs.db: said here, not in the server's words ("configure trends sources")
    if (!history && docs.count() === 0) {
      docs.close();
      throw none('trends/docs.db holds none yet');
    }
    return docs;
  }
  if (!history) throw none('no trends/docs.db');
  return null;
}

export function registerTrends(program: Command): void {
  const trends = program.command('trends').description(`proactive defence: collect text, classify attack types, predict attack-type trends (baselines: ${BASELINES.join(', ')})`);
  registerCollect(trends);
  registerTrain(trends);
  registerEval(trends);
  registerPredict(trends);
  registerDocuments(trends);
}
