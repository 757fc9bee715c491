/**
 * Paths nml writes to must be on a disk: a kernel pseudo-filesystem (/proc, /sys, cgroup, /dev and its
 * devpts and mqueue mounts…; /dev/shm, a tmpfs meant for files, is allowed) keeps
 * nothing written there, root passes the access check on it, and Node 20's recursive mkdir loops
 * forever below /proc (`nml serve --data /proc/x` hung). One check for every writer: output paths
 * (cli/commands/args.ts) and the data directory (cli/open.ts, open-store.ts).
 */
import { existsSync, realpathSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from './core/index.js';

/** Kernel pseudo-filesystems of Linux, by statfs f_type. */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x1cd1, 'devpts'],
  [0x19800202, 'mqueue'],
]);

/** Below /dev, the one folder meant for files: POSIX shared memory, a tmpfs. */
const DEV_SHM = '/dev/shm';

/** The pseudo-filesystem `dir` (an existing folder) is on, by its real path or its statfs type; null for a disk. */
export function pseudoFilesystem(dir: string): string | null {
  if (process.platform !== 'linux') return null;
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return null;
  }
  for (const top of ['/proc', '/sys']) if (real === top || real.startsWith(top + '/')) return top === '/sys' ? 'sysfs' : 'proc';
  // the device folder (a devtmpfs, or a tmpfs in a container: so by its path): devices, not files
  if ((real === '/dev' || real.startsWith('/dev/')) && real !== DEV_SHM && !real.startsWith(DEV_SHM + '/')) {
    const type = statfsType(real);
    return (type === null ? undefined : PSEUDO_FILESYSTEMS.get(type)) ?? 'devtmpfs';
  }
  const type = statfsType(real);
  return type === null ? null : (PSEUDO_FILESYSTEMS.get(type) ?? null);
}

function statfsType(path: string): number | null {
  try {
    return statfsSync(path).type;
  } catch {
    return null;
  }
}

/** The names of this process's stdout and stderr (not files: --out naming one is refused with its own advice). */
export function isStdStream(path: string): boolean {
  return /^\/(dev\/(stdout|stderr|fd\/[12])|proc\/(self|thread-self|\d+)\/fd\/[12])$/.test(resolve(path));
}

/** The nearest path at or above `path` that exists (the root at worst). */
export function nearestExisting(path: string): string {
  let at = resolve(path);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/**
 * Throws STORE_DATA_DIR (bad_request: the path given is the mistake) when the data directory `dir`, or
 * the nearest existing folder above it, is on a kernel pseudo-filesystem; `from` says where the path
 * came from (`--data`, `NML_DATA`, `dataDir in FILE`), for the message. Nothing is made or written.
 */
export function refusePseudoDataDir(dir: string, from = 'dataDir'): void {
  const abs = resolve(dir);
  const at = nearestExisting(abs);
  const pseudo = pseudoFilesystem(at);
  if (pseudo === null) return;
  throw new AppError(
    'STORE_DATA_DIR',
    'bad_request',
    `data directory ${abs} (${from}) is on the kernel's ${pseudo} pseudo-filesystem (${at}), not a disk: nothing written there is kept; give a data directory on a disk (e.g. --data ./nml-data)`,
    { dataDir: abs, filesystem: pseudo },
  );
}
