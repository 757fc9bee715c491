/**
 * `nml findings notify-test`: one sample message to every webhook of `findings.notify`, each one's answer
 * printed, the first thing to do after configuring one. A command, not an API route: it reads the very
 * configuration file the server will read, needs neither a running server nor a login, and an operator
 * who edits that file is at a shell on the host (the server takes a changed `findings.notify` at its
 * next start, so a route would test the old list).
 */
import type { Command } from 'commander';
import { AppError } from '../../core/index.js';
import { FindingsNotifier } from '../../detect/index.js';
import { loadConfig, type CommonFlags } from '../open.js';

export function registerNotifyTest(findings: Command): void {
  findings
    .command('notify-test')
    .description("send one test message to every webhook of findings.notify (in --config) and print what each answered; exits 1 when any failed. Delivery of findings themselves is by 'nml serve'")
    .option('--config <file>', 'JSON configuration file (the one nml serve reads)')
    .action(async (flags: Pick<CommonFlags, 'config'>) => {
      const config = loadConfig(flags, {}, false);
      const hooks = config.findings.notify;
      if (hooks.length === 0) throw new AppError('FINDINGS_NOTIFY_NONE', 'bad_request', 'findings notify-test: no webhooks are configured; add findings.notify, a list such as [{"url": "https://…"}], to the file given to --config (docs/configuration.md)');
      const quiet = { warn: () => undefined, info: () => undefined };
      const notifier = new FindingsNotifier({ webhooks: hooks, log: quiet, publicUrl: config.http.publicUrl });
      const results = await notifier.test();
      notifier.close();
      for (const [i, r] of results.entries()) {
        const format = hooks[i]!.format;
        process.stdout.write(`findings.notify[${i}] ${r.url} (${r.name}, ${format}): ${r.ok ? `delivered, ${r.why} in ${r.ms} ms` : `failed: ${r.why} after ${r.ms} ms`}\n`);
      }
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0) throw new AppError('FINDINGS_NOTIFY_FAILED', 'unavailable', `findings notify-test: ${failed} of ${results.length} webhook${results.length === 1 ? '' : 's'} failed (above); check each URL, its headers and that the service is reachable from this host, then run this again`);
    });
}
