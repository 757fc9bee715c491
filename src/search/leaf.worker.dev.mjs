// Source runs only (`node --import tsx`): worker threads do not inherit tsx's loader, so this registers
// it, then hands piscina the leaf worker's handler. A built run uses dist/src/search/leaf.worker.js.
import { register } from 'tsx/esm/api';

register();
const leaf = await import('./leaf.worker.ts');
export default leaf.default;
