/** The plain writer lane of the store's tests, from source (tsx) or built code alike. */
export const PLAIN_LANE = new URL(import.meta.url.endsWith('.ts') ? './plain-lane.worker.dev.mjs' : './plain-lane.worker.js', import.meta.url);
