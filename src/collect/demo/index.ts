// In: a seed and options (rate, start time, needles); nothing from the network or the disk.
// Out: realistic syslog lines of a small enterprise network: a live demo Source, strings, bytes, corpus files.
// Never: reads real logs, uses Math.random for a line (same seed, same bytes), or imports anything but core.
export { createGenerator, DEFAULT_START, type Generator, type GeneratorOptions, type GeneratedLine, type PlantedNeedle } from './generator.js';
export { DEFAULT_NEEDLES, type NeedleSpec } from './needles.js';
export { writeCorpus, type CorpusOptions, type CorpusSummary } from './corpus.js';
export { DemoSource, type DemoSourceOptions, type DemoSourceStats } from './demo-source.js';
export { BAD_DOMAINS as DEMO_C2_DOMAINS } from './pools/domains.js';
