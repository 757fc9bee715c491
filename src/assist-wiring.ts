/** Builds the incident assistant for a running node: its base under `<data>/assist/`, the log store and pivots to cite, the optional LLM. */
import { join, resolve } from 'node:path';
import { Assistant, IncidentBase, loadRankModel, seedDemoIncidents, type LogPages, type PivotSource } from './assist/index.js';
import type { NmlConfig } from './config-types.js';

export interface RunningAssistant {
  assistant: Assistant;
  close(): void;
}

/** Where a data directory keeps its incident base. */
export function incidentBasePath(dataDir: string): string {
  return join(resolve(dataDir), 'assist', 'incidents.db');
}

/**
 * The assistant over `base` as a node has it, which `nml assist ask` reuses so that its answers are the API's: the
 * shipped ranker, the log store and pivots its answers cite, the configured LLM (its key from NML_ASSIST_LLM_KEY, never
 * logged). The demo fills an empty base with past incidents of the demo network (`assist/demo.ts`).
 */
export function assistantOver(
  config: Readonly<NmlConfig>,
  base: IncidentBase,
  logs: LogPages | null,
  pivots: PivotSource | null = null,
  env: Record<string, string | undefined> = process.env,
  warn?: (message: string) => void,
): Assistant {
  if (config.demo.enabled) seedDemoIncidents(base);
  const llm = config.assist.llm === null ? null : { url: config.assist.llm.url, model: config.assist.llm.model, apiKey: env.NML_ASSIST_LLM_KEY };
  return new Assistant({ base, logs, pivots, llm, model: loadRankModel(), ...(warn === undefined ? {} : { warn }) });
}

/** null when `assist.enabled` is false. */
export function openAssistant(
  config: Readonly<NmlConfig>,
  logs: LogPages,
  pivots: PivotSource | null = null,
  env: Record<string, string | undefined> = process.env,
  warn?: (message: string) => void,
): RunningAssistant | null {
  if (!config.assist.enabled) return null;
  const base = new IncidentBase(incidentBasePath(config.dataDir));
  return { assistant: assistantOver(config, base, logs, pivots, env, warn), close: () => base.close() };
}
