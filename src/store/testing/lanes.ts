/** The plain writer lane of the store's tests, from source (tsx) or built code alike. */
export const PLAIN_LANE = new URL(import.meta.url.endsWith('.ts') ? './plain-lane.worker.dev.mjs' : './plain-lane.worker.js', import.meta.url);
/** A lane whose preparer throws for lines containing `PREPARER_THROWS` (see throwing-lane.worker.ts). */
export const THROWING_LANE = new URL(import.meta.url.endsWith('.ts') ? './throwing-lane.worker.dev.mjs' : './throwing-lane.worker.js', import.meta.url);
