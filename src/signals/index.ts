import { eyeDynamics, eyeSync, mouthDynamics } from './facial-dynamics.js';
import { faceMotion } from './face-motion.js';
import { instrumentEdges } from './instrument-edges.js';
import { planarFit } from './planar-fit.js';
import type { Signal, SignalInput } from './types.js';

export type { Signal, SignalInput, SignalValue } from './types.js';

/** Every signal, by name. Fusion reads its inputs from here, never from a hard-coded import. */
export const SIGNALS: ReadonlyMap<string, Signal> = new Map(
  [faceMotion, planarFit, eyeDynamics, eyeSync, mouthDynamics, instrumentEdges].map((signal) => [signal.name, signal]),
);

export interface ComputedSignal {
  readonly name: string;
  /** False when the signal does not apply to this input (mode or too few frames); value is then null. */
  readonly applies: boolean;
  readonly value: number | null;
  readonly details: Readonly<Record<string, number>>;
}

/** Stage 5: every registered signal that applies to the input. */
export function computeSignals(input: SignalInput): ComputedSignal[] {
  return [...SIGNALS.values()].map((signal) => {
    const applies = signal.appliesTo.modes.includes(input.mode) && input.faces.length >= signal.appliesTo.minFrames;
    if (!applies) return { name: signal.name, applies, value: null, details: {} };
    const { value, details } = signal.compute(input);
    return { name: signal.name, applies, value: Number.isFinite(value) ? value : null, details };
  });
}
