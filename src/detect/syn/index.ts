// In: pcap/pcapng captures (files or buffers) or SYN packets from any source; trained weights under models/syn/.
// Out: SYN packets, per-host images, malicious-host probabilities with explanations, a live host board, findings.
// Never: imports store, search or serve; captures from an interface (no libpcap binding); throws on a bad host.
export type { SynPacket, ReadStats, SkipReason } from './types.js';
export { readSynFile, forEachSynInFile, synsFromBuffer, synBatches, STDIN_CAPTURE } from './read.js';
export { newStats } from './types.js';
export { SynDetector, groupByHost, type SynHostInput } from './detector.js';
export { SynBatchScorer, SynModel, type SynModelFile } from './model.js';
export { runTrain as runSynTrain, type RunTrainOptions as SynTrainOptions } from './run-train.js';
export { runEval as runSynEval, type RunEvalOptions as SynEvalOptions } from './run-eval.js';
export { generateSynthetic as generateSyntheticSyns, PROFILES as SYN_PROFILES } from './synth.js';
export { SynLiveBoard } from './board.js';
export type { BoardHost, BoardImage, BoardTargets, HostTotals, SynLiveBoardOptions, WindowScorer } from './board-types.js';
export { capturedTargets } from './board-view.js';
export { joinRuns, summaryScore, type RunSummary } from './window-run.js';
export { replayCapture, replayCaptures, type ReplayOptions } from './replay.js';
export { mergedSynBatches } from './merge.js';
export { DEFAULT_SYN_MODEL } from './paths.js';
export { VARIANTS as SYN_VARIANTS, type Variant as SynVariant } from './samples.js';
export { startSynLive, type SynLive, type SynLiveSource } from './live.js';
export { recalledFloods, storedFloods, type RecalledFlood } from './board-recall.js';
export { captureInterface, SYN_FILTER, type InterfaceCapture, type InterfaceCaptureOptions } from './interface-capture.js';
export { writeDemoCapture } from './demo-capture.js';
export { demoFirewallLines, type TimedLine } from './demo-firewall.js';
