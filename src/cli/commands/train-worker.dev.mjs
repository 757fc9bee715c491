// Source runs only (`node --import tsx`, tests from src/): worker threads do not inherit tsx's loader,
// so this registers it, then loads the training worker. A built run uses dist/src/cli/commands/train-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
