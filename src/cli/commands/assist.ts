/** `nml assist …`: normalize a report, import the labelled corpora, find similar incidents, suggest a first action, ask (assist-ask.ts), list, show and delete (assist-base.ts). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../core/index.js';
import { incidentBasePath } from '../../assist-wiring.js';
import { Assistant, CORPORA, IncidentBase, loadCorpus, loadRankModel, SCORE_MEANING, SIMILAR_SHOWN, type CorpusName } from '../../assist/index.js';
import { loadConfig, requireDataDir, type CommonFlags, DATA_HELP } from '../open.js';
import { escapeOption, shownText, writeOut, type EscapeMode } from '../output.js';
import { positiveInt } from './args.js';
import { checkText, format, FORMATS, readInput } from './assist-input.js';
import { registerAssistAsk } from './assist-ask.js';
import { recordText, registerAssistBase } from './assist-base.js';
import { registerEvalAssist } from './eval-assist.js';
import { DEFAULT_DATASETS } from './datasets-dir.js';

/** The assistant over the incident base, which `import` creates. */
function openAssistant(dataDir: string): { assistant: Assistant; base: IncidentBase } {
  const base = new IncidentBase(incidentBasePath(dataDir));
  return { assistant: new Assistant({ base, model: loadRankModel() }), base };
}

/**
 * The assistant for a command that only reads the base: the data directory and a base with incidents
 * in it must be there already (nothing is created, and an empty answer is not passed off as "nothing
 * similar").
 */
function openAssistantToRead(flags: CommonFlags): { assistant: Assistant; base: IncidentBase } {
  const dir = resolve(loadConfig(flags).dataDir);
  const importHint = `run nml assist import --data ${dir} (the labelled corpora; or nml assist import --data ${dir} FILE… for your reports)`;
  requireDataDir(dir, 'assist', 'ASSIST_DATA_NOT_FOUND', `import incidents with nml assist import --data ${dir}`);
  const path = incidentBasePath(dir);
  if (!existsSync(path)) throw new AppError('ASSIST_BASE_EMPTY', 'not_found', `assist: the incident base is empty (${dir} has no assist/incidents.db); ${importHint} first`, { path });
  const opened = openAssistant(dir);
  if (opened.base.count() === 0) {
    opened.base.close();
    throw new AppError('ASSIST_BASE_EMPTY', 'not_found', `assist: the incident base is empty (${path} holds no incident); ${importHint} first`, { path });
  }
  return opened;
}

/** Why no incident is similar, where the base (openAssistantToRead) holds `searched` > 0 of them. */
function nothingShared(searched: number): string {
  const held = searched === 1 ? 'the one incident in the base shares no word' : `none of the ${searched} incidents in the base shares a word`;
  return `${held} with this report (it is searched by its 64 rarest words; a report in another language than the base's shares none)`;
}

/** The corpora of `--corpus` (all of them when neither it nor files are given), every name checked first. */
function corpusNames(list: string | undefined, noFiles: boolean): CorpusName[] {
  const names = list?.split(',').map((s) => s.trim()) ?? (noFiles ? [...CORPORA] : []);
  const unknown = names.filter((n) => !(CORPORA as readonly string[]).includes(n));
  if (unknown.length > 0) throw new AppError('ASSIST_BAD_CORPUS', 'bad_request', `assist: unknown corpus ${unknown.map((n) => `'${n}'`).join(', ')} in --corpus; use ${CORPORA.join(', ')}; nothing was imported`, { unknown });
  return names as CorpusName[];
}

export function registerAssist(program: Command): void {
  const assist = program.command('assist').description('incident assistant: normalize reports, similar incidents, first actions, questions answered with citations');

  assist
    .command('normalize')
    .description('print the normalized incident record of a report, e-mail (.eml, mbox), VERIS JSON, Suricata EVE JSON event or text file (- for stdin)')
    .argument('<file>')
    .option('--json', 'print the record as JSON (every field with its source part and offsets; JSON-escaped: --escape does not apply)')
    .option('--format <f>', `force the reader: ${FORMATS.join(', ')}`)
    .addOption(escapeOption())
    .action(async (file: string, flags: { json?: boolean; format?: string; escape: EscapeMode }) => {
      const { normalize } = await import('../../assist/index.js');
      const rec = await normalize(await readInput(file), format(flags.format));
      await writeOut(flags.json === true ? JSON.stringify(rec, null, 2) + '\n' : recordText(rec, shownText(flags.escape)));
    });

  assist
    .command('import')
    .description('import the labelled corpora (VCDB sample, CASIE, Hackmageddon) into the incident base, or report files')
    .argument('[files...]', 'report files to normalize and add')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--datasets <dir>', 'folder holding the shared datasets', DEFAULT_DATASETS)
    .option('--corpus <names>', `comma-separated: ${CORPORA.join(', ')} (default: all, when no files are given)`)
    .addOption(escapeOption())
    .action(async (files: string[], flags: CommonFlags & { datasets: string; corpus?: string; escape: EscapeMode }) => {
      const shown = shownText(flags.escape);
      // everything that can be refused is, before the base is created or anything is saved in it: an
      // unknown corpus name after a good one, or a file that is missing or not text, left half an import
      const { dataDir } = loadConfig(flags);
      const names = corpusNames(flags.corpus, files.length === 0);
      const reports: { file: string; buf: Buffer }[] = [];
      for (const f of files) reports.push({ file: f, buf: await readInput(f) });
      const corpora = names.map((n) => ({ name: n, incidents: loadCorpus(n, flags.datasets) }));
      const { assistant, base } = openAssistant(dataDir);
      try {
        for (const c of corpora) {
          assistant.save(c.incidents);
          await writeOut(`${c.name}: ${c.incidents.length} incidents\n`);
        }
        for (const r of reports) {
          const a = await assistant.analyze(r.buf, { save: true });
          await writeOut(shown(`${r.file}: ${a.incident.id} (${a.record.fields.category?.value ?? 'no category'})`) + '\n');
        }
        await writeOut(`base: ${base.count()} incidents ${JSON.stringify(base.countBySource())}\n`);
      } finally {
        base.close();
      }
    });

  assist
    .command('similar')
    .description('the most similar incidents in the base to a report file (or --text), each with why, and the suggested first action')
    .argument('[file]')
    .option('--text <text>', 'free text instead of a file')
    .option('--limit <n>', `similar incidents to print (the Assist page lists ${SIMILAR_SHOWN}); the first action is drawn from the top ${SIMILAR_SHOWN} whatever the limit, as on the page`, positiveInt, SIMILAR_SHOWN)
    .option('--json', 'print JSON (JSON-escaped: --escape does not apply)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .addOption(escapeOption())
    .action(async (file: string | undefined, flags: CommonFlags & { text?: string; limit: number; json?: boolean; escape: EscapeMode }) => {
      if (file === undefined && flags.text === undefined) throw new AppError('ASSIST_NO_INPUT', 'bad_request', 'assist: give a report file or --text');
      // the file used to win, and --text was dropped without a word
      if (file !== undefined && flags.text !== undefined) {
        throw new AppError('ASSIST_TWO_INPUTS', 'bad_request', `assist similar: both a report file (${file.slice(0, 200)}) and --text were given; give one of them`, { file });
      }
      if (file === undefined) checkText(Buffer.from(flags.text as string), '--text');
      // the report first: a bad one is said whatever the base holds
      const input = file !== undefined ? await readInput(file) : (flags.text as string);
      const { assistant, base } = openAssistantToRead(flags);
      try {
        const a = await assistant.analyze(input, { k: flags.limit });
        if (flags.json === true) {
          await writeOut(JSON.stringify({ similar: a.similar.map((r) => ({ id: r.incident.id, title: r.incident.title, score: r.score, why: r.why })), suggestion: a.suggestion, searched: a.searched }, null, 2) + '\n');
          return;
        }
        // titles, terms, field values and actions are the text of reports in the base and of this one
        const shown = shownText(flags.escape);
        // until 2026-12 an empty list was no line at all, the playbook's action under it
        if (a.similar.length === 0) await writeOut(`no similar incident: ${nothingShared(a.searched)}\n`);
        // until 2026-12 the score column was a bare number, which read as a percentage or a probability
        else await writeOut('score  incident  title\n');
        for (const r of a.similar) {
          const fields = r.why.matchedFields.map((m) => `${m.field}=${m.values.join('/')}`).join(' ');
          const head = `${r.score.toFixed(3)}  ${r.incident.id}  ${r.incident.title.slice(0, 90)}`;
          // a part with nothing in it is left out: an incident found by its label's vote alone read "terms:   vote: 1/5 scan"
          const parts = [
            ...(r.why.sharedTerms.length > 0 ? [`terms: ${r.why.sharedTerms.slice(0, 6).join(' ')}`] : []),
            ...(fields === '' ? [] : [`fields: ${fields}`]),
            ...(r.why.vote === null ? [] : [`vote: ${r.why.vote.of}/${r.why.vote.k} ${r.why.vote.label}`]),
          ];
          const why = `        ${parts.length > 0 ? parts.join('  ') : 'shares no word or field'}`;
          await writeOut(`${shown(head)}\n${shown(why)}\n`);
        }
        if (a.similar.length > 0) await writeOut(`(${SCORE_MEANING})\n`);
        const s = a.suggestion;
        await writeOut(`\n${shown(`first action (${s.source}${s.playbook === undefined ? '' : ` ${s.playbook.category}`}, confidence ${s.confidence}): ${s.action}`)}\n`);
        if (s.playbook !== undefined) await writeOut(shown(`  source: ${s.playbook.citation}`) + '\n');
        // which past incident it came from, as the page says it: the action is that incident's, reworded for this report
        const from = s.from[0];
        // with --limit under SIMILAR_SHOWN it may be one the list above leaves out: its place in the ranking is said
        const rank = from === undefined ? -1 : s.judged.findIndex((j) => j.id === from.id);
        const unlisted = rank >= a.similar.length ? `, number ${rank + 1} of the similar incidents (not listed: --limit ${flags.limit})` : '';
        if (from !== undefined) await writeOut(shown(`  drawn from ${from.id} "${from.title.slice(0, 90)}"${unlisted}; what was done then: ${from.action}`) + '\n');
        if (s.from.length > 1) await writeOut(shown(`  the same was done in ${s.from.slice(1).map((f) => f.id).join(', ')}`) + '\n');
      } finally {
        base.close();
      }
    });

  registerAssistAsk(assist);
  registerAssistBase(assist);

  // the same command as `nml eval assist` (registered in eval.ts), kept beside the other assist commands
  registerEvalAssist(assist, 'eval');
}
