/**
 * `nml assist ask QUESTION`: the Assist page's chat on a terminal. The assistant is the one a node builds
 * (`assistantOver`: the ranker, the log store and the relation index it cites, the configured LLM), over a data
 * directory opened read-only, so the answer and its citations are those of `POST /api/assist/chat` for the same data.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError, describeCause, isAppError } from '../../core/index.js';
import { CHAT_MESSAGE_MAX, IncidentBase, type Assistant, type ChatAnswer, type Citation } from '../../assist/index.js';
import { assistantOver, incidentBasePath } from '../../assist-wiring.js';
import { openInvestigator } from '../../open-investigator.js';
import { DATA_HELP, hasStore, loadConfig, openReader, requireDataDir, type CommonFlags } from '../open.js';
import { errText, escapeOption, oneLine, shownText, writeOut, type EscapeMode } from '../output.js';
import { format, FORMATS, readInput } from './assist-input.js';
import { evidenceCommand, searchCommand } from './pivot.js';
import { warnSkipped } from './search.js';

interface AskFlags extends CommonFlags {
  report?: string;
  incident?: string;
  format?: string;
  json?: boolean;
  escape: EscapeMode;
}

const HELP = `
The question is asked as on the Assist page: "what is this?", "what did we do last time?", "what should I do
first?", "which other hosts talked to 203.0.113.5?", "was any login from it successful?", "show similar
incidents". With --report (or --incident) it is about that incident; without, name an address in the question.
The answer comes first, then its numbered citations, each with the nml search command that shows its lines.
--json prints the answer as POST /api/assist/chat returns it: {answer, citations, intent, phrased, unphrased?, skipped}.
An LLM configured in assist.llm (key in NML_ASSIST_LLM_KEY) rephrases the answer as it does for the server.
Nothing is written to the data directory: a report is analysed, not saved. Exit 2: the command line is wrong
(an empty question, a report or --data that is not there); 1: an --incident the base does not hold, a failure,
or a partial answer: its log searches left damaged or missing shards out (skipped), said on stderr after it.
`;

/** The question: one or more words, joined; refused when blank or longer than the API takes. */
function questionOf(words: string[]): string {
  const question = words.join(' ');
  if (question.trim() === '') {
    throw new AppError('ASSIST_BAD_QUESTION', 'bad_request', 'assist ask: the question is empty; ask one, e.g. nml assist ask "was any login from 203.0.113.5 successful?"');
  }
  if (question.length > CHAT_MESSAGE_MAX) {
    throw new AppError('ASSIST_BAD_QUESTION', 'bad_request', `assist ask: the question is ${question.length} characters, more than the ${CHAT_MESSAGE_MAX} it may be; ask a sentence, and give the incident's text with --report FILE`, { length: question.length, limit: CHAT_MESSAGE_MAX });
  }
  return question;
}

interface OpenedForAsk {
  assistant: Assistant;
  /** the incident base read, said when an id is not in it; null: the directory has none */
  basePath: string | null;
  close(): Promise<void>;
}

/**
 * The assistant over a data directory, read-only: its log store and relation index when it has them, its incident
 * base when it has one (else an empty one in memory, which a demo configuration fills as a node fills its own). A
 * directory that is missing, or holds neither logs nor incidents, is refused: an answer from nothing would read as
 * "nothing happened".
 */
async function openForAsk(flags: CommonFlags): Promise<OpenedForAsk> {
  const config = loadConfig(flags);
  const dir = resolve(config.dataDir);
  const fill = `ingest logs (nml ingest FILE --data ${dir}) or import incidents (nml assist import --data ${dir})`;
  requireDataDir(dir, 'assist', 'ASSIST_DATA_NOT_FOUND', fill);
  const path = incidentBasePath(dir);
  const logs = hasStore(dir);
  if (!logs && !existsSync(path)) {
    throw new AppError('ASSIST_DATA_NOT_FOUND', 'bad_request', `assist: ${dir} holds neither logs nor an incident base, so there is nothing to answer from; pass --data DIR of the directory nml serve uses, or ${fill} first`, { dataDir: dir });
  }
  const reader = logs ? openReader(config) : null;
  const investigation = logs ? openInvestigator(config) : null;
  let base: IncidentBase | null = null;
  try {
    await investigation?.ready;
    base = new IncidentBase(existsSync(path) ? path : ':memory:');
    // an empty base the demo would fill: filled in memory, as this command writes nothing
    if (base.count() === 0 && base.path !== ':memory:') {
      base.close();
      base = new IncidentBase(':memory:');
    }
    const warn = (m: string): void => void process.stderr.write(errText(`nml: warning: ${m}\n`));
    const assistant = assistantOver(config, base, reader?.searcher ?? null, investigation?.investigator ?? null, process.env, warn);
    const opened = base;
    return {
      assistant,
      basePath: existsSync(path) ? path : null,
      close: async () => {
        opened.close();
        investigation?.close();
        await reader?.close();
      },
    };
  } catch (e) {
    base?.close();
    investigation?.close();
    await reader?.close();
    throw e;
  }
}

/** The incident the question is about: a report analysed now (not saved), a stored one by id, or none. */
async function incidentOf({ assistant, basePath }: OpenedForAsk, report: Buffer | null, flags: AskFlags): Promise<string | undefined> {
  if (report !== null) return (await assistant.analyze(report, { format: format(flags.format) })).incident.id;
  if (flags.incident === undefined) return undefined;
  try {
    return assistant.get(flags.incident).id;
  } catch (e) {
    if (!isAppError(e) || e.code !== 'ASSIST_INCIDENT_NOT_FOUND') throw e;
    // the assistant's message names the API's ways to keep a report
    const where = basePath === null ? 'the data directory has no incident base (assist/incidents.db)' : `no incident ${oneLine(flags.incident.slice(0, 200))} in the incident base ${basePath}`;
    throw new AppError(e.code, e.kind, `assist ask: ${where}; give the report itself with --report FILE, or an id that nml assist similar FILE --json lists`, { id: flags.incident });
  }
}

/** A citation's lines: what it is and points to, its snippet, and the command that shows its log lines. */
function citationText(c: Citation, n: number, search: string): string[] {
  const lines = [`[${n}] ${c.kind} ${oneLine(c.ref)}`, `    ${oneLine(c.snippet)}`];
  if (c.search !== undefined) lines.push(`    ${evidenceCommand(search, c.search)}`);
  return lines;
}

/** The answer, then its citations; every line through `shown` (snippets are logged text and report text). */
function answerText(a: ChatAnswer, search: string, shown: (text: string) => string): string {
  const lines = [a.answer];
  if (a.citations.length > 0) lines.push('');
  a.citations.forEach((c, i) => lines.push(...citationText(c, i + 1, search)));
  return lines.map(shown).join('\n') + '\n';
}

export function registerAssistAsk(assist: Command): void {
  assist
    .command('ask')
    .description("ask the assistant about an incident or an address, as on the Assist page: the answer, then its citations (log searches, pivots, past incidents)")
    .argument('<question...>', 'the question (quote it, or give it as words)')
    .option('--report <file>', 'the incident the question is about: a report, e-mail, VERIS or EVE JSON file (- for stdin), analysed and not saved')
    .option('--incident <id>', 'or an incident of the base by id (report:…, a corpus id)')
    .option('--format <f>', `force the report's reader: ${FORMATS.join(', ')}`)
    .option('--json', 'print the answer as the API returns it (JSON-escaped: --escape does not apply)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .addOption(escapeOption())
    .addHelpText('after', HELP)
    .action(async (words: string[], flags: AskFlags) => {
      // what the command line says is checked before the data directory is opened
      const question = questionOf(words);
      if (flags.report !== undefined && flags.incident !== undefined) {
        throw new AppError('ASSIST_TWO_INPUTS', 'bad_request', `assist ask: both --report ${flags.report.slice(0, 200)} and --incident were given; give one of them`, { file: flags.report });
      }
      format(flags.format);
      // a --format without a report to read was dropped without a word
      if (flags.format !== undefined && flags.report === undefined) {
        throw new AppError('ASSIST_BAD_FORMAT', 'bad_request', "assist ask: --format says how to read --report's file, and no --report was given; give --report FILE, or leave --format out");
      }
      const report = flags.report === undefined ? null : await readInput(flags.report);
      const opened = await openForAsk(flags);
      try {
        const incidentId = await incidentOf(opened, report, flags);
        let answer: ChatAnswer;
        try {
          answer = await opened.assistant.chat(incidentId, [{ role: 'user', content: question }]);
        } catch (e) {
          if (isAppError(e)) throw e;
          throw new AppError('ASSIST_CHAT_FAILED', 'unavailable', `assist ask: the answer could not be composed: ${describeCause(e)}; check the data directory (nml stats --data DIR) and ask again`, {}, e);
        }
        await writeOut(flags.json === true ? JSON.stringify(answer, null, 2) + '\n' : answerText(answer, searchCommand(flags), shownText(flags.escape)));
        // as nml search: the answer, then the shards it was composed without, and exit 1
        warnSkipped(answer.skipped, 'assist ask (a partial answer)');
      } finally {
        await opened.close();
      }
    });
}
