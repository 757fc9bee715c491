/**
 * Findings webhooks (`findings.notify`) wired to the findings store, for `nml serve`: one listener on
 * the store hears every detector's new and reopened findings (URL, SYN, floods, waves) after they are
 * stored, so no detector knows of webhooks. Says at start how many are configured. The messages link
 * to the web UI at `http.publicUrl` when it is set. While it runs, what is unsent is kept in the outbox
 * (`<data>/findings-notify-outbox.json`, at most a second behind: `OutboxKeeper`), and each webhook's
 * mark in findings.db (notify-mark.ts) says up to which raising its messages were done, so that the next
 * start after a crash offers again what went out in no message (a window still open, the last second's
 * messages); at stop what is queued is sent for a few seconds and the rest kept there; the next start sends it.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NmlConfig } from './config-types.js';
import { describeCause, redactedUrl } from './core/index.js';
import {
  coveredAtStart,
  earlierMark,
  FindingsNotifier,
  isAfter,
  OUTBOX_FILE,
  OUTBOX_MAX_AGE_MS,
  OutboxKeeper,
  placeOutbox,
  placeWebhook,
  stillWaiting,
  takeOutbox,
  urlHash,
  writeOutbox,
  type FindingsStore,
  type NotifierLog,
  type NotifyMark,
  type QueuedMessage,
  type WebhookConfig,
} from './detect/index.js';

/** The most findings of each kind (new, reopened) offered again at a start; more are counted and said. */
export const REOFFER_MAX = 20_000;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The outbox's messages: dropped with one line per webhook no longer configured (or whose URL changed),
 * those its webhook's mark says were done after the outbox was written left out, the rest queued on their
 * webhook (those over a day old dropped and counted), and said in one line. Returns each webhook's placed messages.
 */
function resumeOutbox(path: string, notifier: FindingsNotifier | null, config: Readonly<NmlConfig>, log: NotifierLog, now: number, marks: readonly NotifyMark[] | null = null): Map<number, QueuedMessage[]> {
  const { entries, problem } = takeOutbox(path);
  if (problem !== null) log.warn({ outbox: path }, `findings notify: ${problem}; the messages it held are not sent (the findings are on the Alerts page)`);
  if (entries.length === 0) return new Map();
  const placed = placeOutbox(entries, config.findings.notify);
  for (const { name, count } of placed.removed) {
    log.info({ webhook: name, dropped: count }, `findings notify: ${plural(count, 'findings message')} from before the restart for webhook ${name} dropped: it is no longer in findings.notify (or its URL changed)`);
  }
  if (notifier === null || placed.byIndex.size === 0) return placed.byIndex;
  let resumed = 0;
  let stale = 0;
  let done = 0;
  for (const [index, messages] of placed.byIndex) {
    const mark = marks?.[index];
    const left = mark === undefined ? { waiting: messages, done: 0 } : stillWaiting(messages, mark);
    done += left.done;
    const old = notifier.resume(index, left.waiting, now, OUTBOX_MAX_AGE_MS);
    stale += old;
    resumed += left.waiting.length - old;
  }
  const staleSaid = stale === 0 ? '' : `; ${plural(stale, 'message')} older than ${OUTBOX_MAX_AGE_MS / 3_600_000} h dropped (counted as dropped; the findings are on the Alerts page)`;
  const doneSaid = done === 0 ? '' : `; ${plural(done, 'message')} delivered after the outbox was last written not sent again`;
  log.info({ resumed, stale, done }, `findings notify: ${plural(resumed, 'findings message')} from before the restart, sending${staleSaid}${doneSaid}`);
  return placed.byIndex;
}

/** The webhooks' marks while the server runs: written to findings.db when a message is done, else at most once per `everyMs`. */
interface MarksKeeper {
  /** each webhook's mark when the server started */
  readonly atStart: readonly NotifyMark[];
  changed(done: boolean): void;
  /** the last write (the stop's) */
  close(): void;
}

/**
 * Each webhook's stored mark (placed as the outbox's entries are: `placeWebhook`), a new one (or one whose
 * URL changed) starting at the store's raisings now, so that it never gets an old one's backlog; those of
 * removed webhooks are forgotten. The notifier tracks the raisings from there. Null, with a warning, when
 * findings.db cannot keep them: the notifier runs as before, its outbox a second behind.
 */
function openMarks(findings: FindingsStore, webhooks: readonly WebhookConfig[], notifier: FindingsNotifier, log: NotifierLog, everyMs: number): MarksKeeper | null {
  const hashes = webhooks.map((h) => urlHash(h.url));
  let table: ReturnType<FindingsStore['notifyMarks']>;
  const atStart: NotifyMark[] = [];
  try {
    table = findings.notifyMarks();
    const now = table.current();
    const stored = new Map<number, NotifyMark>();
    for (const m of table.read()) {
      const index = placeWebhook(m.index, m.urlHash, hashes);
      if (index !== null && !stored.has(index)) stored.set(index, m.mark);
    }
    for (let i = 0; i < webhooks.length; i++) atStart.push(stored.get(i) ?? now);
    table.save(atStart.map((mark, index) => ({ index, urlHash: hashes[index]!, mark })));
    notifier.track(now, atStart);
  } catch (e) {
    log.warn({ err: describeCause(e) }, `findings notify: the webhooks' marks could not be read or written in findings.db (${describeCause(e)}); findings raised in the seconds before a crash may not be announced; check the data folder's space and permissions`);
    return null;
  }
  let timer: NodeJS.Timeout | null = null;
  let last = Number.NEGATIVE_INFINITY;
  let failing = false;
  const save = (): void => {
    last = Date.now();
    try {
      table.save(notifier.marks().map((mark, index) => ({ index, urlHash: hashes[index]!, mark: mark ?? atStart[index]! })));
      if (failing) log.info({}, "findings notify: the webhooks' marks are written to findings.db again");
      failing = false;
    } catch (e) {
      if (!failing) log.warn({ err: describeCause(e) }, `findings notify: the webhooks' marks could not be written to findings.db (${describeCause(e)}); a crash now may announce findings again; tried again at the next change`);
      failing = true;
    }
  };
  return {
    atStart,
    changed(done) {
      if (timer !== null && !done) return;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      // a message done: written now (off the detectors' path); a pass over unwanted findings is on record's path: later, at most once per everyMs
      if (done) return save();
      timer = setTimeout(() => {
        timer = null;
        save();
      }, Math.max(0, last + everyMs - Date.now()));
      timer.unref();
    },
    close() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      save();
    },
  };
}

/**
 * The raisings after each webhook's mark and the outbox's messages (notify-mark.ts): those a crash left
 * in no message (a window not closed, a message closed after the outbox's last write). Offered again to
 * their webhook, once, and said in one line; a raising over a day old is not (as the outbox's messages).
 */
function reofferRaised(findings: FindingsStore, notifier: FindingsNotifier, marks: readonly NotifyMark[], placed: ReadonlyMap<number, readonly QueuedMessage[]>, log: NotifierLog, now: number): void {
  const covered = marks.map((m, i) => coveredAtStart(m, placed.get(i) ?? []));
  if (covered.length === 0) return;
  const { raised, leftOut } = findings.notifyMarks().raisedSince(covered.reduce(earlierMark), now - OUTBOX_MAX_AGE_MS, REOFFER_MAX);
  const offered = new Set<number>();
  covered.forEach((c, i) => {
    const after = raised.filter((r) => isAfter(r, c));
    for (const r of after) offered.add(r.finding.id);
    notifier.reoffer(i, after);
  });
  if (offered.size === 0 && leftOut === 0) return;
  const more = leftOut === 0 ? '' : ` (and ${leftOut} more, not offered: see the Alerts page sorted by Raised)`;
  log.info({ reoffered: offered.size, leftOut }, `findings notify: ${plural(offered.size, 'finding')} raised before the restart went out in no message (the process ended without its stop: a crash, a kill, a power cut); sending them${more}`);
}

/** Timings a test shortens: the batching window (NOTIFY_DEFAULTS.windowMs) and the outbox's least time between writes (1 s). */
export interface NotifyTimings {
  windowMs?: number;
  keepEveryMs?: number;
}

export function openFindingsNotify(config: Readonly<NmlConfig>, findings: FindingsStore, log: NotifierLog, now = Date.now(), timings: NotifyTimings = {}): { notifier: FindingsNotifier; close(): Promise<void> } | null {
  const webhooks = config.findings.notify;
  const outbox = join(resolve(config.dataDir), OUTBOX_FILE);
  if (webhooks.length === 0) {
    log.info({ webhooks: 0 }, 'findings notify: no webhooks configured (findings.notify); findings are shown on the Alerts page only');
    resumeOutbox(outbox, null, config, log, now);
    try {
      // a webhook added later starts from its own start, never from an old mark
      findings.notifyMarks().save([]);
    } catch (e) {
      log.warn({ err: describeCause(e) }, `findings notify: the webhooks' old marks could not be removed from findings.db (${describeCause(e)})`);
    }
    return null;
  }
  let keeper: OutboxKeeper | null = null;
  let marks: MarksKeeper | null = null;
  const notifier = new FindingsNotifier({
    webhooks,
    log,
    publicUrl: config.http.publicUrl,
    onUnsentChange: () => keeper?.changed(),
    onProgress: (done) => marks?.changed(done),
    ...(timings.windowMs === undefined ? {} : { windowMs: timings.windowMs }),
  });
  keeper = new OutboxKeeper({
    path: outbox,
    webhooks,
    unsent: () => notifier.unsent(),
    ...(timings.keepEveryMs === undefined ? {} : { intervalMs: timings.keepEveryMs }),
    onError: (e, count) => log.warn({ outbox, waiting: count }, `findings notify: the outbox ${outbox} could not be written (${describeCause(e)}); a crash now would lose the ${plural(count, 'findings message')} waiting (a stop tries again); check the data folder's space and permissions`),
    onRecovered: () => log.info({ outbox }, `findings notify: the outbox ${outbox} is written again`),
  });
  log.info({ webhooks: webhooks.length, urls: webhooks.map((h) => redactedUrl(h.url)) }, `findings notify: ${plural(webhooks.length, 'webhook')} configured; each new or reopened finding is sent (nml findings notify-test sends a test message)`);
  marks = openMarks(findings, webhooks, notifier, log, timings.keepEveryMs ?? 1000);
  const placed = resumeOutbox(outbox, notifier, config, log, now, marks?.atStart ?? null);
  if (marks !== null) {
    try {
      reofferRaised(findings, notifier, marks.atStart, placed, log, now);
    } catch (e) {
      log.warn({ err: describeCause(e) }, `findings notify: the findings raised before the restart could not be read from findings.db (${describeCause(e)}); those raised in the seconds before a crash may not be announced (they are on the Alerts page)`);
    }
  }
  const unsubscribe = findings.subscribe(notifier.onRecorded);
  return {
    notifier,
    /** Stops taking findings, sends what waits for a few seconds (NOTIFY_DEFAULTS.stopGraceMs), keeps the rest. */
    async close() {
      unsubscribe();
      const unsent = await notifier.drain();
      await keeper.close();
      marks?.close();
      if (unsent.length === 0) {
        // what the keeper wrote while running was sent since
        rmSync(outbox, { force: true });
        return;
      }
      try {
        writeOutbox(outbox, unsent, webhooks);
        log.info({ kept: unsent.length, outbox }, `findings notify: ${plural(unsent.length, 'findings message')} not sent before the stop kept in ${outbox}; the next start sends them`);
      } catch (e) {
        log.warn({ lost: unsent.length, outbox }, `findings notify: ${plural(unsent.length, 'findings message')} not sent before the stop could not be kept in ${outbox} (${describeCause(e)}); they are lost, the findings are on the Alerts page; check the data folder's space and permissions`);
      }
    },
  };
}
