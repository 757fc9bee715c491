/** The live tail (a folder of serve/; serve/index.ts re-exports what node.ts needs). */
export { TailHub, TAIL_DEFAULTS } from './hub.js';
export type { TailOptions, TailSocket, TailClient, TailParser, TailCounters } from './hub.js';
export { TailSink } from './sink.js';
export { tailParser } from './parse.js';
