/**
 * The URL detector's wiring, shared by `nml serve` and `nml ingest`: the model (shipped or `url.model`),
 * its live scorer over the lines the store committed, and each new finding written into the log store as
 * a line of its own (`app:nml-detect`), so that a search finds it beside its evidence.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { timeZoneMinutes } from './config.js';
import type { NmlConfig } from './config-types.js';
import { AppError, describeCause, isAppError, pathFailureKind } from './core/index.js';
import { findingLogLine, UrlDetector, UrlLiveScorer, type FindingsSink, type FindingsStore } from './detect/index.js';
import { parseLine, trustedTime } from './parse/index.js';
import type { Store } from './store/index.js';

/** What the wiring logs through: pino's error (the server's logger), or a CLI's stand-in. */
export interface UrlWiringLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/** Each new finding (first sighting) also becomes a log line, so a search finds it beside its evidence. */
export function logNewFindings(findings: FindingsStore, store: Store, logger: UrlWiringLogger): () => void {
  const host = hostname();
  return findings.subscribe((changed, sightings) => {
    // raised by this record: a SYN board's first sighting of a host can count several windows at once (count > 1)
    const fresh = changed.filter((_, i) => sightings[i] === 'new');
    if (fresh.length === 0) return;
    const receivedAt = Date.now();
    const records = fresh.map((f) => ({ line: findingLogLine(f, host), receivedAt, source: 'nml:detect' }));
    store.writer.write(records).catch((e: unknown) => logger.error({ err: e }, 'could not store finding log lines'));
  });
}

/**
 * The URL detector (shipped or configured model) and, when `url.live`, its live scorer; null when the
 * model cannot load. `area` names the command in messages (`serve`, `ingest`); `maxQueue` the URLs the
 * scorer queues before it drops (counted), which a bulk load raises and holds back instead (scoring-sink.ts).
 */
export function openUrlDetector(config: Readonly<NmlConfig>, findings: FindingsSink, known: FindingsStore, logger: UrlWiringLogger, area = 'serve', maxQueue?: number): { detector: UrlDetector; live: UrlLiveScorer | null; threshold: number } | null {
  let detector: UrlDetector;
  try {
    detector = config.url.model === null ? UrlDetector.load() : UrlDetector.load(resolve(config.url.model));
  } catch (e) {
    // a model the operator named must load: a typo must not leave URLs unscored behind one log line
    if (config.url.model !== null) {
      const why = isAppError(e) ? e.message : describeCause(e);
      throw new AppError(isAppError(e) ? e.code : 'MODEL_INVALID', isAppError(e) ? e.kind : pathFailureKind(e), `${area}: the url model ${config.url.model} (url.model) cannot be loaded: ${why}; fix url.model, or set it to null for the shipped model`, { path: config.url.model }, e);
    }
    logger.error({ err: e }, 'url detector not started: the shipped model could not be loaded');
    return null;
  }
  // a finding's times are its line's, as the writer lanes file it: a replayed log's findings and evidence are where its lines are
  const header = { timeZone: timeZoneMinutes(config.parse.timeZone), entities: false } as const;
  const eventTime = (line: string, receivedAt: number): number => trustedTime(parseLine({ line, receivedAt, source: 'url-tap' }, header).time, receivedAt);
  // a model that fails on a batch or on explaining a URL: those URLs are dropped (counted), scoring goes on; said here, with the counts so far
  const onError = (err: unknown): void => {
    const st = live?.stats();
    logger.error({ err, dropped: st?.dropped, lost: st?.lost }, 'url live scoring failed: the URLs it was scoring are dropped (not reported); scoring goes on');
  };
  // `known`: a host already summed before a restart starts past its per-host budget
  const live: UrlLiveScorer | null = config.url.live
    ? new UrlLiveScorer({ detector, sink: findings, known, onError, eventTime, ignore: config.url.ignore, perHost: config.url.perHost, hostQuietMs: config.url.hostQuietMinutes * 60_000, tlsNames: config.url.tlsNames, ...(maxQueue === undefined ? {} : { maxQueue }), ...(config.url.threshold === null ? {} : { threshold: config.url.threshold }) })
    : null;
  // what live scoring flags at, and what `POST /api/detect/url` answers with
  const threshold = config.url.threshold ?? detector.threshold;
  return { detector, live, threshold };
}
