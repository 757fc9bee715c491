/**
 * Watches (serve/watches/): the cost of one evaluation, and whether 200 watches every minute starve
 * interactive search. A store of WATCH_LINES (default 1,000,000) lines spread over the last hour, written
 * through the real writer; the Searcher with search.threads (default: the cores). One evaluation is a
 * count of `(query) -app:nml-detect` over the window, as the evaluator runs it: median and p95 of 15 per
 * query and window. Then the worst case of 200 watches: all due at once (a start, or every watch edited),
 * counted one after another by the real WatchEvaluator, while a client runs the Search page's two
 * requests (a 100-line page of `sshd` over the last hour, then the count of `"failed password"` over it)
 * back to back: their latency during that pass against the same requests alone.
 * Run: `npx tsc -p . && node dist/bench/watches.js` (writes bench/results/<date>-watches.{md,json}).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config.js';
import { openStore } from '../src/open-store.js';
import { Searcher } from '../src/search/index.js';
import { countedQuery, WatchEvaluator, WatchStore } from '../src/serve/index.js';

const LINES = Number(process.env.WATCH_LINES ?? 1_000_000);
const THREADS = Number(process.env.WATCH_THREADS ?? cpus().length);
const WATCHES = 200;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const r1 = (x: number): number => Math.round(x * 10) / 10;

function line(i: number, t: number): string {
  const ts = new Date(t).toISOString();
  const host = `web-${String(i % 40).padStart(2, '0')}`;
  switch (i % 50) {
    case 0:
      return `${ts} bastion sshd[${i % 30000}]: Failed password for root from 203.0.113.${i % 250} port ${20000 + (i % 40000)} ssh2`;
    case 1:
    case 2:
      return `${ts} bastion sshd[${i % 30000}]: Accepted publickey for deploy from 10.0.${i % 200}.${i % 250} port 22 ssh2`;
    case 3:
      return `${ts} ${host} CRON[${i % 30000}]: (root) CMD (run-parts /etc/cron.hourly)`;
    default:
      return `${ts} ${host} nginx: 10.1.${i % 200}.${i % 250} - - "GET /api/items/${i % 9973} HTTP/1.1" ${i % 97 === 0 ? 500 : 200} ${i % 5000} "-" "curl/8.5"`;
  }
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), `nml-bench-watches-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const config = resolveConfig({ dataDir: join(dir, 'data'), search: { threads: THREADS } });
  const store = openStore(config);
  const now = Date.now();
  const t0 = now - 3_600_000;
  const started = performance.now();
  const BATCH = 5000;
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < LINES; i += BATCH) {
    const n = Math.min(BATCH, LINES - i);
    pending.push(store.writer.write(Array.from({ length: n }, (_, k) => ({ line: line(i + k, t0 + Math.floor(((i + k) / LINES) * 3_590_000)), receivedAt: now, source: 'bench' }))));
    if (pending.length >= 8) await pending.shift();
  }
  await Promise.all(pending);
  const ingestS = (performance.now() - started) / 1000;
  console.error(`watches bench: ${LINES} lines stored in ${ingestS.toFixed(1)} s; ${THREADS} search threads`);
  const searcher = new Searcher(store.catalog, THREADS);
  try {
    // one evaluation, as the evaluator runs it
    const evaluation: Record<string, { window: string; query: string; count: number; medianMs: number; p95Ms: number }> = {};
    for (const [window, ms] of [['5m', 300_000], ['1h', 3_600_000]] as const) {
      for (const query of ['"failed password"', 'sshd', 'nginx 500']) {
        const times: number[] = [];
        let count = 0;
        for (let k = 0; k < 17; k++) {
          const to = Date.now();
          const t = performance.now();
          count = (await searcher.count(countedQuery(query), { from: to - ms, to })).count;
          if (k >= 2) times.push(performance.now() - t);
        }
        evaluation[`${window} ${query}`] = { window, query, count, medianMs: r1(pct(times, 50)), p95Ms: r1(pct(times, 95)) };
      }
    }
    console.error(JSON.stringify(evaluation, null, 1));

    // the Search page's two requests, back to back, for `ms`
    const interactive = async (untilDone: () => boolean): Promise<number[]> => {
      const lat: number[] = [];
      while (!untilDone()) {
        const to = Date.now();
        const t = performance.now();
        await searcher.page('sshd', { from: to - 3_600_000, to }, 100);
        await searcher.count('"failed password"', { from: to - 3_600_000, to });
        lat.push(performance.now() - t);
      }
      return lat;
    };
    const rounds = (k: number): (() => boolean) => {
      let n = 0;
      return () => n++ >= k;
    };
    const stat = (xs: number[]) => ({ n: xs.length, medianMs: r1(pct(xs, 50)), p95Ms: r1(pct(xs, 95)) });
    const queries = ['"failed password"', 'sshd', 'nginx 500', 'CRON', 'host:web-07 nginx', '"Accepted publickey" deploy', '203.0.113.7', 'curl'];
    /** every watch due at once, counted by the real evaluator while the client runs; `restRatio` its pacing */
    const burst = async (restRatio: number) => {
      const watches = new WatchStore(':memory:', { max: WATCHES });
      for (let i = 0; i < WATCHES; i++) watches.add({ name: `w${i}`, query: queries[i % queries.length]!, threshold: 1000, window: i % 4 === 0 ? '1h' : '5m', every: '1m' }, 'bench');
      let findings = 0;
      const evaluator = new WatchEvaluator({ store: watches, restRatio, count: (q, r, sig) => searcher.count(q, r, sig), sink: { record: (f) => void (findings += f.length) }, log: { info: () => undefined, warn: (_f, m) => console.error(m) } });
      const passStart = performance.now();
      evaluator.start();
      const passDone = (): boolean => evaluator.stats().evaluations >= WATCHES;
      const during = await interactive(passDone);
      while (!passDone()) await new Promise((r) => setTimeout(r, 5));
      const passS = (performance.now() - passStart) / 1000;
      await evaluator.close();
      watches.close();
      return { restRatio, passS: r1(passS), perWatchMs: r1((passS * 1000) / WATCHES), findings, during: stat(during) };
    };
    await interactive(rounds(10)); // warm
    const alone1 = await interactive(rounds(30));
    const backToBack = await burst(0);
    const alone2 = await interactive(rounds(30));
    const paced = await burst(1);
    const alone3 = await interactive(rounds(30));
    const alone = [...alone1, ...alone2, ...alone3];

    const report = {
      date: new Date().toISOString(),
      lines: LINES,
      threads: THREADS,
      cores: cpus().length,
      load: loadavg().map(r1),
      ingestS: r1(ingestS),
      evaluation,
      interactiveAlone: { all: stat(alone), before: stat(alone1), between: stat(alone2), after: stat(alone3) },
      backToBack,
      paced,
    };
    console.log(JSON.stringify(report, null, 2));
    const day = report.date.slice(0, 10);
    const out = join('bench', 'results', `${day}-watches`);
    writeFileSync(`${out}.json`, JSON.stringify(report, null, 2) + '\n');
    const rows = Object.values(evaluation).map((e) => `| ${e.window} | \`${e.query}\` | ${e.count} | ${e.medianMs} | ${e.p95Ms} |`);
    const burstRow = (name: string, b: typeof paced) => `| ${name} | ${b.passS} s (${b.perWatchMs} ms a watch) | ${b.during.medianMs} | ${b.during.p95Ms} | ${b.during.n} |`;
    writeFileSync(
      `${out}.md`,
      [
        `# Watches: one evaluation, and ${WATCHES} watches beside interactive search (${day})`,
        '',
        `${LINES} lines over the last hour, ${THREADS} search threads on ${cpus().length} cores (load average ${report.load.join(', ')} at the end: a shared machine); the store written through the writer in ${r1(ingestS)} s. One evaluation = the count of \`(query) -app:nml-detect\` over the window.`,
        '',
        '| window | query | count | median ms | p95 ms |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `All ${WATCHES} watches due at once (150 with a 5m window, 50 with 1h; 8 queries), counted one after another by the evaluator while a client runs the Search page's two requests back to back (a 100-line page of \`sshd\` over 1h, then the count of \`"failed password"\` over 1h). Alone: three runs of 30 (before, between and after the bursts).`,
        '',
        '| client | pass of 200 | median ms | p95 ms | n |',
        '| --- | --- | --- | --- | --- |',
        `| alone (90) | - | ${stat(alone).medianMs} | ${stat(alone).p95Ms} | ${alone.length} |`,
        burstRow('beside watches back to back (restRatio 0)', backToBack),
        burstRow('beside watches paced (restRatio 1, the default)', paced),
        '',
      ].join('\n'),
    );
  } finally {
    await searcher.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
