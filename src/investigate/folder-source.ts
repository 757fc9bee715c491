/**
 * A value loaded from a folder that can be reloaded while running: `reload()` builds a new value and
 * swaps it in only when complete (lookups never see a half-loaded one), concurrent reloads share one
 * run, and `watch()` reloads after changes settle (fs.watch, debounced).
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';

export interface FolderStatus {
  dir: string | null;
  /** when the current value was loaded, ms; null before the first load */
  loadedAt: number | null;
  /** the last reload's failure, if it failed (the previous value stays) */
  error: string | null;
}

export class FolderSource<T, S> {
  private running: Promise<void> | null = null;
  private again = false;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  value: T;
  details: S | null = null;
  readonly status: FolderStatus;

  constructor(
    readonly dir: string | null,
    empty: T,
    private readonly load: (dir: string) => Promise<{ value: T; details: S }>,
  ) {
    this.value = empty;
    this.status = { dir, loadedAt: null, error: null };
  }

  /** Loads the folder again; resolves when the new value is in place (a missing folder gives the empty value). */
  async reload(): Promise<void> {
    if (this.running !== null) {
      // a change during a load means one more load after it
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        if (this.dir === null || !existsSync(this.dir)) {
          this.status.loadedAt = Date.now();
          continue;
        }
        try {
          const r = await this.load(this.dir);
          this.value = r.value;
          this.details = r.details;
          this.status.loadedAt = Date.now();
          this.status.error = null;
        } catch (e) {
          this.status.error = (e as Error).message;
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Reloads `debounceMs` after the last change in the folder. No-op when the folder does not exist. */
  watch(debounceMs = 1000): void {
    if (this.dir === null || !existsSync(this.dir) || this.watcher !== null) return;
    this.watcher = watch(this.dir, { recursive: false }, () => {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), debounceMs);
      this.timer.unref();
    });
    this.watcher.unref();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer !== null) clearTimeout(this.timer);
  }
}
