// Source runs only (`node --import tsx`, tests and benches from src/): worker threads do not inherit
// tsx's loader, so this registers it, then loads the compaction worker. A built run uses compact.worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./compact.worker.ts');
