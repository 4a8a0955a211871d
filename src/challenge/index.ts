/**
 * The active colour challenge, checked on a capture: the same ingest, decode and face stages as the
 * passive analysis, but with frames dense enough to follow 200-ms colour steps.
 */
import { withOverrides, type AnalysisConfig } from '../config.js';
import { decodeFrames } from '../decode/index.js';
import type { ObservationDeps } from '../deps.js';
import { findFaces, landmarkFaces, type FaceCandidate } from '../faces/index.js';
import { ingestMedia, type AnalysisInput } from '../ingest/index.js';
import { withTempDir } from '../util/temp.js';
import type { ColourSequence } from './sequence.js';
import { DEFAULT_CHALLENGE, measureSkin, scoreChallenge, type ChallengeOptions, type ChallengeOutcome, type SkinSample } from './verify.js';

export { drawColourSequence, CHALLENGE_COLOURS, type ColourSequence, type ChallengeColour } from './sequence.js';
export { DEFAULT_CHALLENGE, scoreChallenge, type ChallengeOutcome, type SkinSample } from './verify.js';

/** About 15 frames a second over the window: at least 3 frames inside every 200-ms step. */
const FRAMES_PER_SECOND = 15;

export async function checkColourChallenge(
  input: AnalysisInput,
  sequence: ColourSequence,
  deps: ObservationDeps,
  options: ChallengeOptions = DEFAULT_CHALLENGE,
  baseConfig: AnalysisConfig = withOverrides({}),
): Promise<ChallengeOutcome & { readonly samples: readonly SkinSample[] }> {
  const windowS = (options.flashStartMs + sequence.totalMs + options.maxLagMs) / 1000 + 0.2;
  const config = withOverrides({ decode: { ...baseConfig.decode, videoWindowS: windowS, videoFrames: Math.ceil(windowS * FRAMES_PER_SECOND) } });
  const detections: FaceCandidate[][] = [];
  const decoded = await withTempDir(async (dir) =>
    decodeFrames(await ingestMedia(input, config.ingest, dir), deps.tools, config.decode, (frame) => {
      detections[frame.index] = findFaces(frame, deps.faceModels, config.faces);
    }),
  );
  const faces = landmarkFaces(decoded.frames, detections, deps.faceModels, config.faces);
  const samples: SkinSample[] = decoded.frames.flatMap((frame, i) => {
    const face = faces[i]?.face;
    return face && frame.timestampMs !== null ? [{ timestampMs: frame.timestampMs, rgb: measureSkin(frame, face) }] : [];
  });
  return { ...scoreChallenge(samples, sequence, options), samples };
}
