/** The blocklist a configuration's investigator holds beside its folder's: the demo's threat feed, or none. */
import { DEMO_C2_DOMAINS } from './collect/index.js';
import type { BuiltInList } from './investigate/index.js';
import type { NmlConfig } from './config-types.js';

/**
 * `--demo`'s threat feed: its invented command-and-control domains, which one workstation beacons to, as a
 * blocklist held in memory beside the blocklist folder's, so the Investigate page flags them (the demo
 * wrote no blocklist, and its scope table showed "no blocklist is loaded"). Nothing is written to the data
 * directory: a later run without `--demo` lists none of them.
 */
const DEMO_BLOCKLIST: BuiltInList = { name: 'demo-threat-feed', about: 'built in: nml serve --demo (its command-and-control domains; not on disk)', indicators: DEMO_C2_DOMAINS };

/** What `openInvestigator` holds built in for `config`, for every caller (the node, `nml pivot`, `nml assist ask`, `nml findings who`), so all answer alike. */
export function builtInBlocklist(config: Readonly<NmlConfig>): BuiltInList | null {
  return config.demo.enabled ? DEMO_BLOCKLIST : null;
}
