// Source runs only (`node --import tsx`, tests from src/): worker threads do not inherit tsx's loader,
// so this registers it, then loads the normalize worker. A built run uses dist/src/assist/normalize-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./normalize-worker.ts');
