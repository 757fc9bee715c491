/** Ingest benchmarks: bulk file ingest through the CLI, and end to end over TCP syslog until searchable. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

const ROOT = join(import.meta.dirname, '..', '..');
const NML = join(ROOT, 'bin', 'nml.js');

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  const [code] = (await once(child, 'exit')) as [number];
  return code;
}

/** `extra`: more `nml ingest` flags (the main corpus's own ingest runs without merging, so its figure stays what it measured before compaction). */
export async function benchBulkIngest(corpus: string, lines: number, dataDir: string, extra: string[] = ['--no-compact']): Promise<{ seconds: number; linesPerSecond: number }> {
  rmSync(dataDir, { recursive: true, force: true });
  const t = performance.now();
  const code = await run([NML, 'ingest', '--data', dataDir, '--no-progress', ...extra, corpus]);
  if (code !== 0) throw new Error(`bench: nml ingest exited with ${code}`);
  const seconds = (performance.now() - t) / 1000;
  return { seconds, linesPerSecond: lines / seconds };
}

async function waitHttp(url: string, token: string, timeoutMs: number): Promise<unknown> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (r.ok) return await r.json();
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`bench: ${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function benchTcpIngest(corpus: string, lines: number, dataDir: string, ports: { syslog: number; http: number }): Promise<{ seconds: number; linesPerSecond: number }> {
  rmSync(dataDir, { recursive: true, force: true });
  const server: ChildProcess = spawn(
    process.execPath,
    [NML, 'serve', '--data', dataDir, '--no-udp', '--syslog-port', String(ports.syslog), '--http-port', String(ports.http)],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NML_LOG_LEVEL: 'warn' } },
  );
  try {
    const base = `http://127.0.0.1:${ports.http}`;
    await waitHttp(`${base}/health`, '', 30_000);
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const t = performance.now();
    const sender = spawn(process.execPath, [join(ROOT, 'dist', 'bench', 'tcp-sender.js'), corpus, String(ports.syslog)], { stdio: 'inherit' });
    for (;;) {
      const r = (await waitHttp(`${base}/api/count?q=`, token, 10_000)) as { count: number };
      if (r.count >= lines) break;
      if (sender.exitCode !== null && sender.exitCode !== 0) throw new Error('bench: tcp sender failed');
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t) / 1000;
    return { seconds, linesPerSecond: lines / seconds };
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}
