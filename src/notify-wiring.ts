/**
 * Findings webhooks (`findings.notify`) wired to the findings store, for `nml serve`: one listener on
 * the store hears every detector's new and reopened findings (URL, SYN, floods, waves) after they are
 * stored, so no detector knows of webhooks. Says at start how many are configured. The messages link
 * to the web UI at `http.publicUrl` when it is set.
 */
import type { NmlConfig } from './config-types.js';
import { redactedUrl } from './core/index.js';
import { FindingsNotifier, type FindingsStore, type NotifierLog } from './detect/index.js';

export function openFindingsNotify(config: Readonly<NmlConfig>, findings: FindingsStore, log: NotifierLog): { notifier: FindingsNotifier; close(): void } | null {
  const webhooks = config.findings.notify;
  if (webhooks.length === 0) {
    log.info({ webhooks: 0 }, 'findings notify: no webhooks configured (findings.notify); findings are shown on the Alerts page only');
    return null;
  }
  const notifier = new FindingsNotifier({ webhooks, log, publicUrl: config.http.publicUrl });
  const unsubscribe = findings.subscribe(notifier.onRecorded);
  log.info({ webhooks: webhooks.length, urls: webhooks.map((h) => redactedUrl(h.url)) }, `findings notify: ${webhooks.length} webhook${webhooks.length === 1 ? '' : 's'} configured; each new or reopened finding is sent (nml findings notify-test sends a test message)`);
  return {
    notifier,
    close() {
      unsubscribe();
      notifier.close();
    },
  };
}
