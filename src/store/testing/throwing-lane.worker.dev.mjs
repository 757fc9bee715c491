// Source runs only: registers tsx in the worker thread (see plain-lane.worker.dev.mjs), then loads the lane.
import { register } from 'tsx/esm/api';

register();
await import('./throwing-lane.worker.ts');
