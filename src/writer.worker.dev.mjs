// Source runs only (`node --import tsx`, tests and benches from src/): worker threads do not inherit
// tsx's loader, so this registers it, then loads the writer lane. A built run uses dist/src/writer.worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./writer.worker.ts');
