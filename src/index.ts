/** The library's whole public map. The CLI, the HTTP API and the toolkit use exactly these. */
export { analyzeMedia, observeMedia, type Analysis, type Evidence, type Observation } from './pipeline/index.js';
export { loadDeps, type Deps, type DepsOptions } from './deps.js';
export { DEFAULT_CONFIG, withOverrides, type AnalysisConfig } from './config.js';
export { buildEnvelope, newInferenceId, type Envelope } from './envelope.js';
export { ERROR_TABLE, EXIT, LivenessError, type ErrorCode } from './errors.js';
export type { AnalysisInput, MediaSource } from './ingest/index.js';
export { ATTACK_TYPES, type Inconclusive, type InconclusiveCode, type LivenessResult } from './verdict/index.js';
export { SIGNALS } from './signals/index.js';
export { evaluateSet, computeFigures, loadEvalSet, type EvalItem, type Figures } from './eval/index.js';
export { calibrate, parseTarget } from './eval/calibrate.js';
export { synthesize, SYNTH_SPECIES, type SynthSpecies } from './synth/index.js';
export { buildApp } from './server/app.js';
export { startServer } from './server/serve.js';
export { readServerConfig, type ServerConfig } from './server/config.js';
export { openStore } from './store/index.js';
