/** `nml eval <detector>`: one subcommand per detector, each in its own eval-<detector>.ts. */
import type { Command } from 'commander';
import { addEvalUrl } from './eval-url.js';
import { addEvalSyn } from './eval-syn.js';
import { registerEvalAssist } from './eval-assist.js';

export function registerEval(program: Command): void {
  const ev = program.command('eval').description('evaluate a detector on held-out data and write a markdown report');
  addEvalUrl(ev);
  addEvalSyn(ev);
  registerEvalAssist(ev);
  // one line per further detector, e.g. addEvalSyn(ev) from ./eval-syn.js
}
