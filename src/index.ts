/** The library's whole public map. The CLI and the HTTP API use exactly these. */
export { analyzeMedia, observeMedia, type Analysis, type Evidence, type Observation } from './pipeline/index.js';
export { loadDeps, type Deps, type DepsOptions } from './deps.js';
export { DEFAULT_CONFIG, withOverrides, type AnalysisConfig } from './config.js';
export { buildEnvelope, newInferenceId, type Envelope } from './envelope.js';
export { ERROR_TABLE, EXIT, LivenessError, type ErrorCode } from './errors.js';
export type { AnalysisInput, MediaSource } from './ingest/index.js';
export { ATTACK_TYPES, type Inconclusive, type InconclusiveCode, type LivenessResult } from './verdict/index.js';
export { SIGNALS } from './signals/index.js';
