/**
 * The active challenges, checked on a capture: the same ingest, decode and face stages as the
 * passive analysis, but with frames dense enough to follow 200-ms colour steps or a mouth opening
 * and closing on cue.
 */
import { withOverrides, type AnalysisConfig } from '../config.js';
import { decodeFrames, type Frame } from '../decode/index.js';
import type { ObservationDeps } from '../deps.js';
import { findFaces, landmarkFaces, type FaceCandidate, type TrackedFace } from '../faces/index.js';
import { mouthOpening } from '../faces/geometry.js';
import { ingestMedia, type AnalysisInput } from '../ingest/index.js';
import { withTempDir } from '../util/temp.js';
import { DEFAULT_MOUTH_CHALLENGE, scoreMouthChallenge, type MouthChallengeOptions, type MouthChallengeOutcome, type MouthPrompts, type MouthSample } from './mouth.js';
import type { ColourSequence } from './sequence.js';
import { DEFAULT_CHALLENGE, measureSkin, scoreChallenge, type ChallengeOptions, type ChallengeOutcome, type SkinSample } from './verify.js';

export { drawColourSequence, CHALLENGE_COLOURS, type ColourSequence, type ChallengeColour } from './sequence.js';
export { DEFAULT_CHALLENGE, scoreChallenge, type ChallengeOutcome, type SkinSample } from './verify.js';
export { DEFAULT_MOUTH_CHALLENGE, drawMouthPrompts, scoreMouthChallenge, type MouthChallengeOptions, type MouthChallengeOutcome, type MouthPrompt, type MouthPrompts, type MouthSample } from './mouth.js';

/** From the recording's start to the last moment a colour check reads: lead-in, sequence, longest camera delay. */
export function colourSpanMs(sequence: ColourSequence, options: ChallengeOptions = DEFAULT_CHALLENGE): number {
  return options.flashStartMs + sequence.totalMs + options.maxLagMs;
}

/** From the recording's start to the last moment a mouth check reads: lead-in, prompts, longest reaction. */
export function mouthSpanMs(prompts: MouthPrompts, options: MouthChallengeOptions = DEFAULT_MOUTH_CHALLENGE): number {
  return options.promptStartMs + prompts.totalMs + options.maxLagMs;
}

/** About 15 frames a second over the window: at least 3 frames inside every 200-ms step. */
const FRAMES_PER_SECOND = 15;

/** The frames of the first `windowS` seconds at 15 fps, each with its face (or none). */
async function trackFaces(input: AnalysisInput, windowS: number, deps: ObservationDeps, baseConfig: AnalysisConfig): Promise<Array<{ readonly frame: Frame; readonly face: TrackedFace }>> {
  const config = withOverrides({ decode: { ...baseConfig.decode, videoWindowS: windowS, videoFrames: Math.ceil(windowS * FRAMES_PER_SECOND) } });
  const detections: FaceCandidate[][] = [];
  const decoded = await withTempDir(async (dir) =>
    decodeFrames(await ingestMedia(input, config.ingest, dir), deps.tools, config.decode, (frame) => {
      detections[frame.index] = findFaces(frame, deps.faceModels, config.faces);
    }),
  );
  const faces = landmarkFaces(decoded.frames, detections, deps.faceModels, config.faces);
  return decoded.frames.flatMap((frame, i) => {
    const face = faces[i]?.face;
    return face && frame.timestampMs !== null ? [{ frame, face }] : [];
  });
}

export async function checkColourChallenge(
  input: AnalysisInput,
  sequence: ColourSequence,
  deps: ObservationDeps,
  options: ChallengeOptions = DEFAULT_CHALLENGE,
  baseConfig: AnalysisConfig = withOverrides({}),
): Promise<ChallengeOutcome & { readonly samples: readonly SkinSample[] }> {
  const windowS = colourSpanMs(sequence, options) / 1000 + 0.2;
  const samples = (await trackFaces(input, windowS, deps, baseConfig)).map(({ frame, face }) => ({ timestampMs: frame.timestampMs!, rgb: measureSkin(frame, face) }));
  return { ...scoreChallenge(samples, sequence, options), samples };
}

export async function checkMouthChallenge(
  input: AnalysisInput,
  prompts: MouthPrompts,
  deps: ObservationDeps,
  options: MouthChallengeOptions = DEFAULT_MOUTH_CHALLENGE,
  baseConfig: AnalysisConfig = withOverrides({}),
): Promise<MouthChallengeOutcome & { readonly samples: readonly MouthSample[] }> {
  const windowS = mouthSpanMs(prompts, options) / 1000 + 0.2;
  const samples = (await trackFaces(input, windowS, deps, baseConfig)).map(({ frame, face }) => ({ timestampMs: frame.timestampMs!, opening: mouthOpening(face.mesh) }));
  return { ...scoreMouthChallenge(samples, prompts, options), samples };
}
