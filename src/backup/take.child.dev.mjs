// Source runs only (`node --import tsx`, tests and benches from src/): the backup child process is started
// without the parent's flags, so this registers tsx's loader, then loads it. A built run uses take.child.js.
import { register } from 'tsx/esm/api';

register();
await import('./take.child.ts');
