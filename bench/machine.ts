/** What the numbers were measured on. */
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import Database from 'better-sqlite3';

export interface Machine {
  cpu: string;
  cores: number;
  memGiB: number;
  os: string;
  node: string;
  sqlite: string;
  /** the 1, 5 and 15 minute load averages when measuring began (other jobs slow a benchmark) */
  loadAverage: number[];
}

export function describeMachine(): Machine {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    sqlite,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
