/**
 * `nml share key --out FILE` and `nml share export --from … --to … [--query Q] --key-file FILE --out DIR`:
 * a labelled, anonymized slice of the store for a researcher, a CERT or a vendor (src/share/).
 */
import type { Command } from 'commander';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { AppError, describeCause, errnoOf } from '../../core/index.js';
import type { Finding } from '../../detect/index.js';
import { findingsLastSeenIn, keyFingerprint, LineAnonymizer, loadShareKey, MAKE_SHARE_KEY, SHARE_KEY_BYTES, writeShareExport } from '../../share/index.js';
import { SkippedShards } from '../../search/index.js';
import { VERSION } from '../../version.js';
import { loadConfig, openReader, type CommonFlags, DATA_HELP } from '../open.js';
import { addRangeOptions, rangeOf } from './range.js';
import { openFindings } from './findings.js';
import { warnSkipped } from './search.js';

/** The key in `--key-file`; none given, a missing, unreadable or short file is said with how to make one. */
export function loadKeyFlag(path: string | undefined): Buffer {
  if (path === undefined || path === '') throw new AppError('SHARE_KEY_MISSING', 'bad_request', `share: --key-file is needed: the key anonymizes the export; ${MAKE_SHARE_KEY}`);
  return loadShareKey(path, '--key-file');
}

/** Every finding last seen in [from, to) (findingsLastSeenIn), or none with a warning where the data directory has no findings.db. */
function findingsIn(dataDir: string, from: number | null, to: number | null): Finding[] {
  if (!existsSync(join(resolve(dataDir), 'findings.db'))) {
    process.stderr.write(`nml: warning: ${resolve(dataDir)} has no findings.db ('nml serve' makes it): the export has no findings and its lines no labels\n`);
    return [];
  }
  const store = openFindings({ data: dataDir });
  try {
    return findingsLastSeenIn(store, from, to);
  } finally {
    store.close();
  }
}

interface ExportFlags extends CommonFlags {
  from?: string;
  to?: string;
  query?: string;
  keyFile?: string;
  out?: string;
  internalDomain: string[];
}

const collect = (v: string, before: string[]): string[] => [...before, v];

export function registerShare(program: Command): void {
  const share = program.command('share').description('export a labelled, anonymized dataset for a researcher, CERT or vendor: key, export');
  share
    .command('key')
    .description(`make a share key: ${SHARE_KEY_BYTES} random bytes, hex, in a new file only this user can read`)
    .requiredOption('--out <file>', 'the key file to make (an existing file is never overwritten)')
    .action((flags: { out: string }) => {
      const path = resolve(flags.out);
      let fd: number;
      try {
        fd = openSync(path, 'wx', 0o600);
      } catch (e) {
        if (errnoOf(e) === 'EEXIST') throw new AppError('SHARE_KEY_EXISTS', 'conflict', `share key: ${path} exists and is kept (it may be the key earlier exports were made with); give another --out`, { path });
        throw new AppError('SHARE_KEY_UNWRITABLE', 'bad_request', `share key: cannot make ${path}: ${describeCause(e)}; give a path in a folder this user can write`, { path }, e);
      }
      try {
        writeSync(fd, `${randomBytes(SHARE_KEY_BYTES).toString('hex')}\n`);
      } finally {
        closeSync(fd);
      }
      // the key itself is not printed: terminals and CI logs keep what is printed
      process.stdout.write(`share key written to ${path} (mode 0600); keep it secret, and keep it to make later exports joinable with this one\n`);
    });
  const exp = share
    .command('export')
    .description('write a folder of anonymized lines, labelled findings, MANIFEST.json and README.md for one time range')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--query <q>', "only the lines that match this query (nml search's language); default every line", '')
    .option('--key-file <file>', 'the share key (nml share key makes one): the same key gives the same pseudonyms and addresses')
    .option('--out <dir>', 'the folder to make; refused when it exists and is not empty')
    .option('--internal-domain <suffix>', "a domain whose names are the site's own, made pseudonyms like names without a dot (repeatable)", collect, []);
  addRangeOptions(exp).action(async (flags: ExportFlags) => {
    if (flags.from === undefined || flags.from.trim() === '') throw new AppError('SHARE_RANGE_MISSING', 'bad_request', 'share: --from is needed: the start of the time range to export (ISO time, -7d, epoch ms); --to defaults to now');
    const key = loadKeyFlag(flags.keyFile);
    if (flags.out === undefined || flags.out === '') throw new AppError('SHARE_OUT_MISSING', 'bad_request', 'share: --out DIR is needed: the folder to make for the export');
    const config = loadConfig(flags);
    const now = Date.now();
    const range = rangeOf(flags, now);
    const findings = findingsIn(config.dataDir, range.from, range.to);
    const reader = openReader(config);
    const skipped = new SkippedShards();
    try {
      const started = performance.now();
      const m = await writeShareExport({
        dir: flags.out,
        lines: reader.searcher.stream(flags.query ?? '', range, Infinity, 1000, undefined, skipped),
        findings,
        anonymizer: new LineAnonymizer(key, flags.internalDomain),
        keyFingerprint: keyFingerprint(key),
        range: { from: range.from, to: range.to },
        query: flags.query ?? '',
        nmlVersion: VERSION,
        skipped: () => skipped.list,
      });
      const s = (performance.now() - started) / 1000;
      const n = m.files['lines.ndjson'].records;
      process.stdout.write(
        `share: ${n} lines, ${m.files['findings.ndjson'].records} findings written to ${resolve(flags.out)} in ${s.toFixed(1)} s` +
          `${m.withheld.lines > 0 ? `; ${m.withheld.lines} lines withheld (MANIFEST.json says why)` : ''}${m.note === undefined ? '' : `; ${m.note}`}\n`,
      );
    } finally {
      await reader.close();
      warnSkipped(skipped.list, 'share export');
    }
  });
}
