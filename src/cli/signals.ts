/**
 * The one home of the CLI's stop signals: which signals stop a long command (ingest, serve, trends
 * collect, train and eval), the status each exits with, and the listening on them. Every handler is
 * installed through `onStopSignals` and goes away through the disposer it returns, so none outlives
 * the command that set it.
 */

/** The signals that stop a long command, and the status each exits with: 128 + its number, as a shell reports it. */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

const SIGNALS = Object.keys(STOP_SIGNALS) as StopSignal[];

/** How a message names the signal: Ctrl-C is what a user pressed, not SIGINT. */
export const signalName = (signal: StopSignal): string => (signal === 'SIGINT' ? 'Ctrl-C' : signal);

/**
 * Calls `handler` on each stop signal until the returned disposer is called (calling it again does
 * nothing). While a handler is installed, Node's default (dying at once) is off for those signals.
 */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  // one function for both signals, so the disposer removes exactly what was added
  const listener = (signal: NodeJS.Signals): void => handler(signal as StopSignal);
  for (const s of SIGNALS) process.on(s, listener);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    for (const s of SIGNALS) process.off(s, listener);
  };
}

/**
 * Resolves with the first stop signal, with both handlers gone by then: a second signal, of either
 * kind, ends the process at once (Node's default) while the command stops.
 */
export function firstStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const dispose = onStopSignals((signal) => {
      dispose();
      resolve(signal);
    });
  });
}

/**
 * Ctrl-C (or SIGTERM) during work that can stop cleanly: the first signal `stop`s it, and a second
 * `quit`s at once with that signal's status.
 */
export function twoStageStop(stop: (signal: StopSignal) => void, quit: (status: number) => void): (signal: StopSignal) => void {
  let stopping = false;
  return (signal) => {
    if (stopping) return quit(STOP_SIGNALS[signal]);
    stopping = true;
    stop(signal);
  };
}
