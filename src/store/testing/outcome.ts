/** For the store's failure tests: what became of a write, as a word. */
import { isAppError } from '../../core/index.js';

/** 'stored', or the AppError code (else the error's text) it was refused with. */
export async function outcome(p: Promise<void>): Promise<string> {
  try {
    await p;
    return 'stored';
  } catch (e) {
    return isAppError(e) ? e.code : String(e);
  }
}
