/** The live tail (a folder of serve/; serve/index.ts re-exports what node.ts needs). */
export { TailHub, TAIL_DEFAULTS, CLOSE_TOO_SLOW, CLOSE_STOPPING, STOPPING_REASON } from './hub.js';
export type { TailOptions, TailSocket, TailClient, TailParser, TailCounters, TailEventOut } from './hub.js';
export { TailSink } from './sink.js';
export { tailParser } from './parse.js';
export { keepAlive, sendBeats, HEARTBEAT_DEFAULTS, CLOSE_NO_PONG, NO_PONG_REASON } from './heartbeat.js';
export type { HeartbeatOptions, HeartbeatSocket } from './heartbeat.js';
