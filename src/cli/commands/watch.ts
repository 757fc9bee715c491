/**
 * `nml watch list|add|rm|enable|disable --data DIR`: the watches in `<data>/watches.db` (saved queries
 * `nml serve` counts on a schedule; serve/watches/). Works beside a running server (SQLite WAL): the
 * server reads the watches again every second, so a watch added or changed here is counted within moments.
 * `list` only reads (a disk mounted read-only too). A watch is named by its name (any case) or its id.
 * A change goes into the audit trail in users.db (actor `cli:<account>`) when that file exists.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../core/index.js';
import { readWatches, watchAuditDetails, watchNotFound, WatchStore, WATCHES_FILE, type Watch } from '../../serve/index.js';
import { accessError, openForReading } from '../../store/index.js';
import { DATA_HELP, isDirectory, loadConfig, type CommonFlags } from '../open.js';
import { recordCliAudit } from '../audit-record.js';

interface WatchFlags extends CommonFlags {
  json?: boolean;
  query?: string;
  threshold?: number;
  window?: string;
  every?: string;
  disabled?: boolean;
}

/** The data directory, which must exist: a mistyped --data would otherwise make a watches.db no server reads. */
function dataDir(flags: CommonFlags): string {
  const dir = resolve(loadConfig(flags).dataDir);
  if (!isDirectory(dir)) throw new AppError('WATCH_DATA_MISSING', 'bad_request', `watch: ${dir} is not a data directory; give --data the folder nml serve uses`, { dataDir: dir });
  return dir;
}

/** The watches, read without writing anything; none when the file is not there yet. */
export function listWatches(flags: CommonFlags): Watch[] {
  const path = join(dataDir(flags), WATCHES_FILE);
  if (!existsSync(path)) return [];
  let db: ReturnType<typeof openForReading> | null = null;
  try {
    db = openForReading(path);
    return readWatches(db);
  } catch (e) {
    const access = accessError(e, path, false, 'WATCH_DB_UNAVAILABLE', 'watch');
    if (access !== e) throw access;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw new AppError('WATCH_DB_UNAVAILABLE', 'unavailable', `watch: ${path} is not a readable watches file (${(e as Error).message}); restore it from a backup, or move it aside (a new, empty one is made)`, { path }, e);
    throw e;
  } finally {
    db?.close();
  }
}

function withStore<T>(flags: CommonFlags, fn: (s: WatchStore) => T): T {
  const config = loadConfig(flags);
  const path = join(dataDir(flags), WATCHES_FILE);
  let store: WatchStore;
  try {
    store = new WatchStore(path, { max: config.watches.max });
  } catch (e) {
    throw accessError(e, path, true, 'WATCH_DB_UNAVAILABLE', 'watch');
  }
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** The watch a command line names: its name (any case), else its id. */
function named(store: WatchStore, ref: string): Watch {
  const w = store.byName(ref) ?? (/^\d{1,15}$/.test(ref) ? store.get(Number(ref)) : null);
  if (w === null) throw watchNotFound(ref);
  return w;
}

const iso = (t: number): string => new Date(t).toISOString().slice(0, 19) + 'Z';

/** One watch as a table row: id, name, state, window/every, threshold, last count, query. */
export function watchRow(w: Watch): string {
  const last = w.last === null ? 'not counted yet' : w.last.error !== undefined ? `failed ${iso(w.last.at)}: ${w.last.error.code}` : `${w.last.count} at ${iso(w.last.at)}${w.last.fired ? ' FIRED' : ''}`;
  return [String(w.id).padStart(4), w.name.padEnd(24), (w.enabled ? 'on' : 'off').padEnd(3), `${w.window}/${w.every}`.padEnd(9), `>=${w.threshold}`.padEnd(8), last.padEnd(36), w.query].join(' ');
}

const threshold = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of lines ≥ 1, got '${v}'`);
  return n;
};

const common = (cmd: Command): Command => cmd.option('--data <dir>', DATA_HELP).option('--config <file>', 'JSON configuration file');

export function registerWatch(program: Command): void {
  const watch = program.command('watch').description('saved queries nml serve counts on a schedule, raising a finding when one reaches its threshold: list, add, rm, enable, disable');

  common(watch.command('list'))
    .description('list the watches with their last count')
    .option('--json', 'print JSON')
    .action((flags: WatchFlags) => {
      const list = listWatches(flags);
      if (flags.json === true) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      else if (list.length === 0) process.stderr.write("no watches yet; add one with nml watch add NAME --query '…' --threshold N\n");
      else for (const w of list) process.stdout.write(watchRow(w) + '\n');
    });

  common(watch.command('add <name>'))
    .description('add a watch: fire when --query matches --threshold lines or more in --window, counted every --every')
    .requiredOption('--query <query>', 'the search to count, as nml search takes it')
    .requiredOption('--threshold <n>', 'fire when the count is at or above this', threshold)
    .option('--window <span>', 'the range counted back from now, 1m to 7d', '5m')
    .option('--every <span>', 'how often it is counted, 30s to 1d', '1m')
    .option('--disabled', 'add it switched off')
    .action((name: string, flags: WatchFlags) => {
      const w = withStore(flags, (s) => s.add({ name, query: flags.query!, threshold: flags.threshold!, window: flags.window!, every: flags.every!, enabled: flags.disabled !== true }, `cli:${userInfo().username}`));
      recordCliAudit(join(dataDir(flags), 'users.db'), 'watch.create', w.name, watchAuditDetails(w));
      process.stdout.write(`watch ${w.id} ${JSON.stringify(w.name)} added${w.enabled ? '' : ' (disabled)'}: ${w.threshold} or more lines of \`${w.query}\` in ${w.window}, counted every ${w.every}\n`);
    });

  common(watch.command('rm <watch>'))
    .description('remove a watch (by name or id); its findings stay')
    .action((ref: string, flags: WatchFlags) => {
      const w = withStore(flags, (s) => s.remove(named(s, ref).id));
      recordCliAudit(join(dataDir(flags), 'users.db'), 'watch.delete', w.name, watchAuditDetails(w));
      process.stdout.write(`watch ${w.id} ${JSON.stringify(w.name)} removed\n`);
    });

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    common(watch.command(`${verb} <watch>`))
      .description(`${verb === 'enable' ? 'switch a watch on (counted at once)' : 'switch a watch off'} (by name or id)`)
      .action((ref: string, flags: WatchFlags) => {
        const w = withStore(flags, (s) => s.update(named(s, ref).id, { enabled }));
        recordCliAudit(join(dataDir(flags), 'users.db'), 'watch.update', w.name, watchAuditDetails(w));
        process.stdout.write(`watch ${w.id} ${JSON.stringify(w.name)} ${enabled ? 'enabled' : 'disabled'}\n`);
      });
  }
}
