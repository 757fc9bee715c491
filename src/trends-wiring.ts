/** Builds the trends service for a running node: documents under `<data>/trends/`, models, the optional timeline, and the collector when sources are configured. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { RecordSink } from './core/index.js';
import { AppError, isAppError } from './core/index.js';
import {
  attackTypeScorer,
  DEFAULT_CALENDAR,
  DocStore,
  TrendsCollector,
  TrendsService,
  incidentDocs,
  loadCalendarFile,
  loadHackmageddon,
  loadAttackTypeModel,
  loadJapanese,
  loadModels,
  MODEL_FILES,
  readCollectorConfig,
  seedDemoDocs,
  type TextClassifier,
} from './trends/index.js';
import { defaultConfig } from './config.js';
import type { NmlConfig } from './config-types.js';
import { PACKAGE_ROOT } from './version.js';
import type { Period, TimedDoc } from './trends/predict/periods.js';
import type { CalendarEntry } from './trends/text/calendar.js';

export interface RunningTrends {
  service: TrendsService;
  close(): Promise<void>;
}

/**
 * The models folder `trends.models` names: the default names the shipped models, wherever nml is started
 * from (from another folder it found none and trained a model on every request); a path the operator
 * gives is theirs, from the working folder.
 */
export function trendsModelsDir(t: Readonly<NmlConfig['trends']>): string {
  return t.models === defaultConfig().trends.models ? join(PACKAGE_ROOT, t.models) : resolve(t.models);
}

/** What each model file is for, said where a folder named for it lacks it. */
const MODEL_USE: Record<string, string> = {
  [MODEL_FILES.attackType]: 'the attack-type classifier the collector scores documents with',
  [MODEL_FILES.threat]: 'the threat model nml trends eval scores',
  [MODEL_FILES.trend('day')]: 'the daily forecast',
  [MODEL_FILES.trend('week')]: 'the weekly forecast',
};

/** The model files a forecast of `periods` reads (serve: both; predict: its period), and the collector's classifier where documents are classified. */
export function modelsNeeded(periods: readonly Period[], classifies = false): string[] {
  return [...(classifies ? [MODEL_FILES.attackType] : []), ...periods.map((p) => MODEL_FILES.trend(p))];
}

/**
 * A models folder that someone named (--models, or a trends.models other than the shipped default) must
 * hold the models `needs` (modelsNeeded): a typo, a folder nml trends train never wrote to, or one that
 * holds only threat.json would otherwise fit models on the fly (the page, predict) or classify nothing
 * (the collector), and give other numbers without a word. The refusal names each missing file and what
 * it is for. `via` names the setting, `fix` says what to do there.
 */
export function requireModelsDir(dir: string, via: string, fix: string, needs: readonly string[]): void {
  let why: string | null = null;
  if (!existsSync(dir)) why = 'the folder does not exist';
  else {
    const missing = needs.filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0) {
      const held = Object.keys(MODEL_USE).filter((f) => existsSync(join(dir, f)));
      const lacks = missing.map((f) => `${f} (${MODEL_USE[f] ?? 'a model'})`).join(', ');
      why = `it holds no ${lacks}${held.length === 0 ? ', nor any other model' : `; it holds ${held.join(', ')}`}`;
    }
  }
  if (why !== null) throw new AppError('TRENDS_MODEL_NOT_FOUND', 'bad_request', `trends: no models in ${resolve(dir)} (${via}): ${why}; ${fix}`, { dir: resolve(dir) });
}

/** The shipped models folder (`trends.models`'s default, `--models`'s), beside the package. */
export const SHIPPED_MODELS = join(PACKAGE_ROOT, defaultConfig().trends.models);

/**
 * The shipped folder too must hold the models `needs`: one deleted or lost in a copy was read as absent,
 * and the page and predict fitted a model on the fly (the collector classified nothing) without a word.
 * The refusal names each missing file, how to put it back, and `other`: the setting that names another folder.
 */
export function requireShippedModels(needs: readonly string[], other: string): void {
  requireModelsDir(SHIPPED_MODELS, 'the shipped models', `restore the folder from the nml package (in a checkout: git checkout -- models/trends), or run nml trends train to write it again, or ${other}`, needs);
}

/**
 * The models of `trends.models` (`nml serve`'s, and predict's without --models), refused where the folder
 * lacks a model `needs` (modelsNeeded), the shipped one included. `named`: the setting and its fix in the
 * refusal of another folder (serve's words by default; predict names its --config file).
 */
export function trendsModels(t: Readonly<NmlConfig['trends']>, needs: readonly string[], named?: { via: string; fix: string }): ReturnType<typeof loadModels> {
  return loadModels(requireConfiguredModels(t, needs, named));
}

/** The attack-type classifier of `trends.models` alone (`nml trends documents` reads documents as the page does), refused as trendsModels refuses. */
export function trendsClassifier(t: Readonly<NmlConfig['trends']>): TextClassifier | null {
  return loadAttackTypeModel(requireConfiguredModels(t, modelsNeeded([], true)));
}

/** `trends.models`' folder, refused where it lacks a model `needs` (trendsModels). */
function requireConfiguredModels(t: Readonly<NmlConfig['trends']>, needs: readonly string[], named?: { via: string; fix: string }): string {
  const dir = trendsModelsDir(t);
  if (t.models !== defaultConfig().trends.models) {
    requireModelsDir(dir, named?.via ?? 'trends.models in the configuration', named?.fix ?? `point trends.models at the folder nml trends train wrote, or remove it for the shipped ${SHIPPED_MODELS}`, needs);
  } else {
    requireShippedModels(needs, named === undefined ? 'point trends.models at the folder it wrote' : 'give --models DIR of the folder it wrote');
  }
  return dir;
}

/** The calendar `trends.calendar` names, else the built-in one. */
export function trendsCalendar(t: Readonly<NmlConfig['trends']>): readonly CalendarEntry[] {
  return t.calendar === null ? DEFAULT_CALENDAR : loadCalendarFile(t.calendar, 'trends.calendar in the configuration');
}

/** Where a timeline folder was named and what to do there, said when its file is missing or damaged. */
export interface TimelineNamed {
  /** the key or flag that names the folder: `trends.datasets in the configuration`, `--datasets` */
  via: string;
  /** for a missing file */
  fix: string;
  /** for a damaged one, after "restore it from the shared datasets, or ": how to name a folder with an intact copy */
  intact: string;
}

/** `nml serve`'s timeline: trends.datasets, with no --datasets or NML_DATASETS to pass. */
const CONFIG_TIMELINE: TimelineNamed = {
  via: 'trends.datasets in the configuration',
  fix: 'point trends.datasets at the folder that holds attack-timeline-hackmageddon (../shared/datasets beside a checkout), or set it to null to leave the timeline out',
  intact: 'point trends.datasets at a folder holding an intact copy, or set it to null to leave the timeline out',
};

/**
 * The HACKMAGEDDON incident timeline under `datasets` (`trends.datasets`, or predict's --datasets), none
 * for null: nml serve and nml trends predict add it only where one of them names it, so the page and
 * the command give the same figures for the same configuration and data directory. A missing file says
 * which setting named the folder and how to fix that one (the shared-datasets commands' "--datasets or
 * NML_DATASETS" fits neither: serve has no --datasets and neither reads NML_DATASETS); a damaged one says
 * to restore it or to name an intact copy there (not "pass --datasets DIR", which serve does not take).
 */
export function trendsHistory(datasets: string | null, named: TimelineNamed = CONFIG_TIMELINE): TimedDoc[] {
  if (datasets === null) return [];
  try {
    return incidentDocs(loadHackmageddon(datasets, `restore it from the shared datasets, or ${named.intact}`));
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TRENDS_DATASET_NOT_FOUND') throw e;
    const file = typeof e.details?.['file'] === 'string' ? e.details['file'] : datasets;
    throw new AppError(e.code, e.kind, `dataset: ${file} is missing (the folder named by ${named.via}); ${named.fix}`, e.details, e);
  }
}

/**
 * null when `trends.enabled` is false and this is no demo. Collection runs only when `trends.sources` names
 * a sources file. The demo fills an empty document store with generated headlines (`trends/demo.ts`).
 */
export function openTrends(config: Readonly<NmlConfig>, sink: RecordSink, logger: FastifyBaseLogger): RunningTrends | null {
  const t = config.trends;
  if (!t.enabled && !config.demo.enabled) return null;
  // the settings are read before the document store is opened: a failed start leaves nothing open
  // the page forecasts both periods; the collector and the demo classify what they store
  const models = trendsModels(t, modelsNeeded(['day', 'week'], t.sources !== null || config.demo.enabled));
  const calendar = trendsCalendar(t);
  const history = trendsHistory(t.datasets);
  const docs = new DocStore(join(resolve(config.dataDir), 'trends', 'docs.db'));
  if (config.demo.enabled) {
    const classifier = models.attackType;
    const stored = seedDemoDocs(docs, classifier === null ? null : attackTypeScorer(classifier));
    if (stored > 0) logger.info({ documents: stored }, 'demo: generated half a year of security headlines for the Trends page');
  }
  let collector: TrendsCollector | null = null;
  let closed = false;
  if (t.sources !== null) {
    const cfg = readCollectorConfig(t.sources, 'trends.sources in the configuration');
    const classifier = models.attackType;
    collector = new TrendsCollector(cfg, docs, sink, classifier === null ? null : attackTypeScorer(classifier));
    const c = collector;
    // Japanese documents wait for the dictionary (read once, ~1 s); English ones do not need it
    void loadJapanese()
      .catch((e: unknown) => logger.warn({ err: e }, 'japanese tokenizer unavailable; japanese text uses character bigrams'))
      .then(() => {
        if (!closed) c.start();
      });
    logger.info({ sources: cfg.sources.length }, 'trends collector started');
  }
  const service = new TrendsService({ store: docs, models, history, calendar, sourceStats: () => collector?.sourceStats() ?? [] });
  // the stored documents are tokenized ahead of the first request, in slices that leave the event loop free
  void service.warm();
  return {
    service,
    close: async () => {
      closed = true;
      await collector?.stop();
      docs.close();
    },
  };
}
