/** The baseline: the same questions asked of the raw corpus with ripgrep. */
import { spawn, spawnSync } from 'node:child_process';

export function ripgrepVersion(): string | null {
  const r = spawnSync('rg', ['--version']);
  return r.status === 0 ? r.stdout.toString().split('\n')[0]! : null;
}

/** Runs a shell-free pipeline of rg commands; returns stdout and elapsed ms. Args are arrays, never pasted. */
export function runPipeline(stages: string[][]): Promise<{ out: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const procs = stages.map((args) => spawn(args[0]!, args.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] }));
    for (let i = 0; i + 1 < procs.length; i++) procs[i]!.stdout.pipe(procs[i + 1]!.stdin);
    procs[0]!.stdin.end();
    const last = procs[procs.length - 1]!;
    const chunks: Buffer[] = [];
    last.stdout.on('data', (c: Buffer) => chunks.push(c));
    last.on('error', reject);
    last.on('close', () => resolve({ out: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t }));
  });
}

export interface RgQuery {
  /** count: prints a number */
  count: string[][];
  /** newest 100: the last 100 matching lines of the file (rg reads forward, so it reads everything) */
  newest: string[][];
}

export function rgQueries(corpus: string): Record<string, RgQuery> {
  const count = (args: string[]): string[][] => [['rg', '-c', ...args, corpus]];
  const newest = (args: string[]): string[][] => [['rg', ...args, corpus], ['tail', '-n', '100']];
  return {
    rare: { count: count(['-F', 'kernelpanic42']), newest: newest(['-F', 'kernelpanic42']) },
    common: { count: count(['-i', '-w', 'failed']), newest: newest(['-i', '-w', 'failed']) },
    and: {
      count: [['rg', '-i', '-w', 'failed', corpus], ['rg', '-c', '-i', '-w', 'password']],
      newest: [['rg', '-i', '-w', 'failed', corpus], ['rg', '-i', '-w', 'password'], ['tail', '-n', '100']],
    },
    ip: { count: count(['-w', '-F', '203.0.113.77']), newest: newest(['-w', '-F', '203.0.113.77']) },
    cidr: { count: count(['-P', '(?<![\\d.])203\\.0\\.113\\.\\d{1,3}(?![\\d.])']), newest: newest(['-P', '(?<![\\d.])203\\.0\\.113\\.\\d{1,3}(?![\\d.])']) },
  };
}
