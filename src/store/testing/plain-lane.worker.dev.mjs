// Source runs only (`node --import tsx --test src/store/...`): worker threads do not inherit tsx's
// loader, so this registers it, then loads the plain test lane. A built run uses plain-lane.worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./plain-lane.worker.ts');
