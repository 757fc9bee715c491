/** Where the shipped SYN model lives. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** models/syn/model.json at the repository root (two levels above src/detect/syn, or dist/src/detect/syn). */
export const DEFAULT_SYN_MODEL = (() => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const up = here.includes('/dist/') ? '../../../..' : '../../..';
  return join(here, up, 'models', 'syn', 'model.json');
})();
