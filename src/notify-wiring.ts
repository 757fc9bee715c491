/**
 * Findings webhooks (`findings.notify`) wired to the findings store, for `nml serve`: one listener on
 * the store hears every detector's new and reopened findings (URL, SYN, floods, waves) after they are
 * stored, so no detector knows of webhooks. Says at start how many are configured. The messages link
 * to the web UI at `http.publicUrl` when it is set. While it runs, what is unsent is kept in the outbox
 * (`<data>/findings-notify-outbox.json`, at most a second behind: `OutboxKeeper`), so a crash loses
 * little; at stop what is queued is sent for a few seconds and the rest kept there; the next start sends it.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NmlConfig } from './config-types.js';
import { describeCause, redactedUrl } from './core/index.js';
import { FindingsNotifier, OUTBOX_FILE, OUTBOX_MAX_AGE_MS, OutboxKeeper, placeOutbox, takeOutbox, writeOutbox, type FindingsStore, type NotifierLog } from './detect/index.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The outbox's messages: dropped with one line per webhook no longer configured (or whose URL changed),
 * the rest queued on their webhook (those over a day old dropped and counted), and said in one line.
 */
function resumeOutbox(path: string, notifier: FindingsNotifier | null, config: Readonly<NmlConfig>, log: NotifierLog, now: number): void {
  const { entries, problem } = takeOutbox(path);
  if (problem !== null) log.warn({ outbox: path }, `findings notify: ${problem}; the messages it held are not sent (the findings are on the Alerts page)`);
  if (entries.length === 0) return;
  const placed = placeOutbox(entries, config.findings.notify);
  for (const { name, count } of placed.removed) {
    log.info({ webhook: name, dropped: count }, `findings notify: ${plural(count, 'findings message')} from before the restart for webhook ${name} dropped: it is no longer in findings.notify (or its URL changed)`);
  }
  if (notifier === null || placed.byIndex.size === 0) return;
  let resumed = 0;
  let stale = 0;
  for (const [index, messages] of placed.byIndex) {
    const old = notifier.resume(index, messages, now, OUTBOX_MAX_AGE_MS);
    stale += old;
    resumed += messages.length - old;
  }
  const staleSaid = stale === 0 ? '' : `; ${plural(stale, 'message')} older than ${OUTBOX_MAX_AGE_MS / 3_600_000} h dropped (counted as dropped; the findings are on the Alerts page)`;
  log.info({ resumed, stale }, `findings notify: ${plural(resumed, 'findings message')} from before the restart, sending${staleSaid}`);
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
    return null;
  }
  let keeper: OutboxKeeper | null = null;
  const notifier = new FindingsNotifier({ webhooks, log, publicUrl: config.http.publicUrl, onUnsentChange: () => keeper?.changed(), ...(timings.windowMs === undefined ? {} : { windowMs: timings.windowMs }) });
  keeper = new OutboxKeeper({
    path: outbox,
    webhooks,
    unsent: () => notifier.unsent(),
    ...(timings.keepEveryMs === undefined ? {} : { intervalMs: timings.keepEveryMs }),
    onError: (e, count) => log.warn({ outbox, waiting: count }, `findings notify: the outbox ${outbox} could not be written (${describeCause(e)}); a crash now would lose the ${plural(count, 'findings message')} waiting (a stop tries again); check the data folder's space and permissions`),
    onRecovered: () => log.info({ outbox }, `findings notify: the outbox ${outbox} is written again`),
  });
  log.info({ webhooks: webhooks.length, urls: webhooks.map((h) => redactedUrl(h.url)) }, `findings notify: ${plural(webhooks.length, 'webhook')} configured; each new or reopened finding is sent (nml findings notify-test sends a test message)`);
  resumeOutbox(outbox, notifier, config, log, now);
  const unsubscribe = findings.subscribe(notifier.onRecorded);
  return {
    notifier,
    /** Stops taking findings, sends what waits for a few seconds (NOTIFY_DEFAULTS.stopGraceMs), keeps the rest. */
    async close() {
      unsubscribe();
      const unsent = await notifier.drain();
      await keeper.close();
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
