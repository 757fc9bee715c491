/**
 * A value loaded from a folder that can be reloaded while running: `reload()` builds a new value and
 * swaps it in only when complete (lookups never see a half-loaded one), concurrent reloads share one
 * run, and `watch()` reloads after changes settle (fs.watch, recursive: articles are read from
 * sub-folders; debounced). A folder that is gone is the empty value: what it held is no longer listed.
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';

export interface FolderStatus {
  dir: string | null;
  /** when the current value was loaded, ms; null before the first load */
  loadedAt: number | null;
  /** the last reload's failure, if it failed (the previous value stays) */
  error: string | null;
  /** the folder does not exist (or is not configured): the value is the empty one, with no details */
  missing: boolean;
}

export class FolderSource<T, S> {
  private running: Promise<void> | null = null;
  private again = false;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checker: NodeJS.Timeout | null = null;
  /** the watched folder's device and inode (null: none there; undefined: not checked yet) */
  private watched: string | null | undefined = undefined;
  value: T;
  details: S | null = null;
  readonly status: FolderStatus;

  constructor(
    readonly dir: string | null,
    private readonly empty: T,
    private readonly load: (dir: string) => Promise<{ value: T; details: S }>,
  ) {
    this.value = empty;
    this.status = { dir, loadedAt: null, error: null, missing: dir === null };
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
          // a folder removed since the last load lists nothing any more (it kept its old contents)
          this.value = this.empty;
          this.details = null;
          this.status.loadedAt = Date.now();
          this.status.error = null;
          this.status.missing = true;
          continue;
        }
        try {
          const r = await this.load(this.dir);
          this.value = r.value;
          this.details = r.details;
          this.status.loadedAt = Date.now();
          this.status.error = null;
          this.status.missing = false;
        } catch (e) {
          this.status.error = (e as Error).message;
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Reloads `debounceMs` after the last change in the folder or any folder under it (articles are read
   * from sub-folders). The watch does not keep the process alive (`persistent: false`: on Linux, Node 20
   * watches each file and sub-folder itself, and `unref()` does not reach those watchers). Every
   * `checkMs` the folder's identity is checked too: a folder made after start (the default folders do
   * not exist on a fresh install), removed, or swapped for another (`mv new blocklists`, which an
   * inotify watch does not see: it follows the old folder) is loaded and watched anew.
   */
  watch(debounceMs = 1000, checkMs = 5000): void {
    if (this.dir === null || this.checker !== null) return;
    const dir = this.dir;
    const later = (): void => {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), debounceMs);
      this.timer.unref();
    };
    const follow = (): void => {
      const id = identity(dir);
      if (id === this.watched) return;
      this.watcher?.close();
      this.watcher = null;
      // a folder that appeared, went or was replaced: its contents are what they are now
      if (this.watched !== undefined) later();
      this.watched = id;
      if (id === null) return;
      try {
        const w = watch(dir, { recursive: true, persistent: false }, later);
        w.on('error', () => {
          w.close();
          if (this.watcher === w) this.watcher = null;
          later();
        });
        w.unref();
        this.watcher = w;
      } catch {
        // removed between the check and the watch (the next check sees it gone), or no watch to be had
        // (inotify's limit): loaded as it is, and again when the folder is replaced
      }
    };
    follow();
    this.checker = setInterval(follow, checkMs);
    this.checker.unref();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.checker !== null) clearInterval(this.checker);
    this.checker = null;
    if (this.timer !== null) clearTimeout(this.timer);
  }
}

/** A folder's device and inode, or null when there is no folder at `dir`. */
function identity(dir: string): string | null {
  try {
    const st = statSync(dir);
    return st.isDirectory() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}
