import type { Frame } from '../decode/index.js';
import type { TrackedFace } from '../faces/index.js';
import type { InputMode } from '../ingest/index.js';

/** What every signal sees: the usable frames and their faces, in time order. */
export interface SignalInput {
  readonly mode: InputMode;
  readonly frames: readonly Frame[];
  /** `faces[i]` is the face in `frames[i]`. */
  readonly faces: readonly TrackedFace[];
}

export interface SignalValue {
  /** The signal's one number; its meaning and direction are in the signal's description. */
  readonly value: number;
  /** Secondary figures behind the value, for the evidence. */
  readonly details: Readonly<Record<string, number>>;
}

/** One liveness signal: a module with this shape, registered by name in `./index.ts`. */
export interface Signal {
  readonly name: string;
  /** What it measures and why it separates live faces from attacks. */
  readonly description: string;
  /** The input modes it applies to and the fewest usable frames it needs. */
  readonly appliesTo: { readonly modes: readonly InputMode[]; readonly minFrames: number };
  compute(input: SignalInput): SignalValue;
}
