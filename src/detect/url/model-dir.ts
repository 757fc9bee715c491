/**
 * Why a url model directory could not be read, in words that say what one holds. `--model` given the
 * model's file, the folder above the models or any other folder answered the same "cannot read
 * DIR/model.json and weights.bin (ENOTDIR …)", which named neither the mistake nor a model to give.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError, describeCause, pathFailureKind } from '../../core/index.js';

const HOLDS = 'a url model directory holds model.json and weights.bin, as the shipped models/url/ngram (the default) and models/url/bob do: give one of those, or train one with `nml train url --out DIR`';

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/** The folders under `dir` that hold a model (`models/url` holds ngram and bob). */
function modelsUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && isFile(join(dir, e.name, 'model.json')) && isFile(join(dir, e.name, 'weights.bin')))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** What to say of `dir`, whose model.json or weights.bin failed to read with `cause`. */
function why(dir: string, cause: Error): string {
  let st: Stats | undefined;
  try {
    st = statSync(dir, { throwIfNoEntry: false });
  } catch (e) {
    // stat throws past ENOENT too: a file above the folder (ENOTDIR), a path longer than the system takes
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENAMETOOLONG') return `the path given (${dir.length} characters, ${JSON.stringify(dir.slice(0, 40))}…) is longer than the system allows; ${HOLDS}`;
    if (code === 'ENOTDIR') return `${dir} does not exist: ${describeCause(e)}; ${HOLDS}`;
    return `cannot look at ${dir} (${describeCause(e)}); ${HOLDS}`;
  }
  if (st === undefined) return `${dir} does not exist; ${HOLDS}`;
  if (!st.isDirectory()) {
    const name = basename(dir);
    if (name === 'model.json' || name === 'weights.bin') return `${dir} is a file of a model, not its directory; give the directory, ${dirname(dir)}, which holds model.json and weights.bin`;
    return `${dir} is a file, not a model directory; ${HOLDS}`;
  }
  const has = (f: string): boolean => statSync(join(dir, f), { throwIfNoEntry: false }) !== undefined;
  if (!has('model.json')) {
    const models = modelsUnder(dir);
    if (models.length === 0) return `${dir} is not a model directory: it holds no model.json; ${HOLDS}`;
    const first = models.includes('ngram') ? 'ngram' : models[0]!;
    return `${dir} holds no model.json but the model ${models.length === 1 ? 'directory' : 'directories'} ${models.join(', ')}; give one of them (${join(dir, first)})`;
  }
  if (!has('weights.bin')) return `${dir} holds model.json but no weights.bin, so it is no whole model; ${HOLDS}`;
  return `cannot read ${dir}/model.json and weights.bin (${cause.message}); check their permissions`;
}

/** MODEL_NOT_FOUND for a model directory that failed to read with `cause`, saying what one holds. */
export function modelDirError(dir: string, cause: unknown): AppError {
  return new AppError('MODEL_NOT_FOUND', pathFailureKind(cause), `url model: ${why(dir, cause as Error)}`, undefined, cause);
}
