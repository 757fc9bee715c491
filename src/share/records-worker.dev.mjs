// Source runs only (`node --import tsx`, tests from src/): worker threads do not inherit tsx's loader,
// so this registers it, then loads the share records worker. A built run uses dist/src/share/records-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./records-worker.ts');
