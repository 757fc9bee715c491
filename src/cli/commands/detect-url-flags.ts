/** Option parsers and defaults shared by the url subcommands of train, eval and score. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { AppError } from '../../core/index.js';
import { checkDatasetsDir, datasetsFromEnv } from './datasets-dir.js';

/** NML_DATASETS when set; else ../shared/datasets beside the working directory (or above it), else the same relative path. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const set = datasetsFromEnv(env);
  if (set !== null) return resolve(set);
  for (const c of ['../shared/datasets', '../../shared/datasets', 'shared/datasets']) if (existsSync(resolve(c, 'urls-iscx-phishtank')) || existsSync(resolve(c, 'urls-more'))) return resolve(c);
  return resolve('../shared/datasets');
}

export function modelKind(v: string): 'ngram' | 'bob' | 'expose' {
  if (v !== 'ngram' && v !== 'bob' && v !== 'expose') throw new InvalidArgumentError(`expected ngram, bob or expose, got '${v}'`);
  return v;
}

export function modelKinds(v: string): ('ngram' | 'bob' | 'expose')[] {
  return v.split(',').map((s) => modelKind(s.trim()));
}

/** The command line as typed, for model cards. */
/**
 * The command as given, recorded in a model and a report. Data found through NML_DATASETS (no
 * `--data-dir`) is named as the variable before it, so that the line reproduces the run elsewhere.
 */
export function commandLine(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): string {
  const line = ['nml', ...argv].join(' ');
  const fromEnv = datasetsFromEnv(env);
  const given = argv.some((a) => ['--data-dir', '--datasets'].some((o) => a === o || a.startsWith(`${o}=`)));
  return fromEnv !== null && !given ? `NML_DATASETS=${fromEnv} ${line}` : line;
}

/**
 * The datasets folder of `nml train url` / `nml eval url`: `--datasets` (the name every other command
 * uses) or its older name `--data-dir`, else the default; both with different folders is a usage error.
 */
export function urlDatasetsDir(flags: { datasets?: string; dataDir?: string }, fallback: () => string): string {
  if (flags.datasets !== undefined && flags.dataDir !== undefined && flags.datasets !== flags.dataDir) {
    throw new AppError('URL_OPTIONS_INVALID', 'bad_request', `url: --datasets ${flags.datasets} and --data-dir ${flags.dataDir} name two folders; give one (--data-dir is the older name of --datasets)`);
  }
  return flags.datasets ?? flags.dataDir ?? fallback();
}

/** The datasets folder of train and eval url, resolved, checked to be a folder (and to be there, when named by an option or NML_DATASETS). */
export function urlDatasets(flags: { datasets?: string; dataDir?: string }, env: NodeJS.ProcessEnv = process.env): string {
  const dir = resolve(urlDatasetsDir(flags, () => defaultDataDir(env)));
  checkDatasetsDir(dir, flags.datasets !== undefined || flags.dataDir !== undefined || datasetsFromEnv(env) !== null, 'URL_DATA_MISSING', 'urls-iscx-phishtank/ or urls-more/ (each with urls.csv.gz)');
  return dir;
}

/** A comma-separated list whose items must be among `known` (a usage error names the option and the choices). */
export function listOf(v: string, known: readonly string[], option: string): string[] {
  const items = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = items.filter((s) => !known.includes(s));
  if (bad.length > 0 || items.length === 0) throw new InvalidArgumentError(`${option}: expected some of ${known.join(', ')}, got '${v}'`);
  return items;
}

/** `--extra-benign`: `none`, or some of the EXTRA_BENIGN lists (a usage error names the choices). */
export function extraBenignList(v: string, known: readonly string[]): string[] {
  return v.trim() === 'none' ? [] : listOf(v, known, '--extra-benign');
}

export const EXTRA_BENIGN_HELP =
  'also train on benign URLs built from these domain lists, never tested on: opendns-top (the 10,000 most-queried domains as <domain>/, the default), opendns-home (top and random lists as <domain>/), opendns (both lists, <domain>/ and one common path each); none for no extra rows';

/** `--popularity`: one of the POPULARITY_LISTS, or `none` (a usage error names the choices). */
export function popularityList(v: string, known: readonly string[]): string {
  const name = v.trim();
  if (name !== 'none' && !known.includes(name)) throw new InvalidArgumentError(`--popularity: expected one of ${[...known, 'none'].join(', ')}, got '${v}'`);
  return name;
}

/** `--grams`: how the n-gram model reads grams (counted or distinct). */
export function gramsKind(v: string, known: readonly string[]): 'counted' | 'distinct' {
  const name = v.trim();
  if (name !== 'counted' && name !== 'distinct') throw new InvalidArgumentError(`--grams: expected ${known.join(' or ')}, got '${v}'`);
  return name;
}

export const GRAMS_HELP =
  'ngram: distinct (the default: each gram once per host and once per path, a repeat adds nothing) or counted (every occurrence, as the models before 2026-12-03: reproduces them)';

export const POPULARITY_HELP =
  'ngram: learn six weights for the host or a parent domain being among the most popular domains of this list (opendns-top, the default: top 100 / 1,000 / 10,000); the list ships inside the model as hashes; none to leave it out';
