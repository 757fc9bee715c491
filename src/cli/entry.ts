/**
 * `node [--import tsx] src/cli/entry.ts ARGS` (or `dist/src/cli/entry.js`): the CLI as bin/nml.js runs
 * it, for tests that spawn it from the sources or from dist alike. An `-e` script needs
 * `--input-type=module`, which worker threads inherit and refuse, so the store's writer lanes died.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
