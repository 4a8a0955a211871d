/**
 * The active colour challenge's sequence: 5–8 screen colours, 200–400 ms each, drawn by the server
 * from a CSPRNG (or a seeded generator in tests) so that a replayed or injected video cannot know it.
 */
export const CHALLENGE_COLOURS = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  magenta: [255, 0, 255],
  cyan: [0, 255, 255],
} as const satisfies Record<string, readonly [number, number, number]>;

export type ChallengeColour = keyof typeof CHALLENGE_COLOURS;

export interface ChallengeStep {
  readonly colour: ChallengeColour;
  /** From the start of the flashing. */
  readonly startMs: number;
  readonly durationMs: number;
}

export interface ColourSequence {
  readonly steps: readonly ChallengeStep[];
  readonly totalMs: number;
}

/** Draws a sequence; neighbouring steps never repeat a colour, so every change is visible. */
export function drawColourSequence(random: () => number, options: { minSteps?: number; maxSteps?: number; minStepMs?: number; maxStepMs?: number } = {}): ColourSequence {
  const { minSteps = 5, maxSteps = 8, minStepMs = 200, maxStepMs = 400 } = options;
  const names = Object.keys(CHALLENGE_COLOURS) as ChallengeColour[];
  const count = minSteps + Math.floor(random() * (maxSteps - minSteps + 1));
  const steps: ChallengeStep[] = [];
  let startMs = 0;
  for (let i = 0; i < count; i++) {
    const choices = names.filter((n) => n !== steps[i - 1]?.colour);
    const colour = choices[Math.floor(random() * choices.length)]!;
    const durationMs = Math.round(minStepMs + random() * (maxStepMs - minStepMs));
    steps.push({ colour, startMs, durationMs });
    startMs += durationMs;
  }
  return { steps, totalMs: startMs };
}

/** The chromaticity shift a colour's light pushes the skin towards: its rgb/(r+g+b) minus grey. */
export function expectedChroma(colour: ChallengeColour): [number, number, number] {
  const [r, g, b] = CHALLENGE_COLOURS[colour];
  const sum = r + g + b;
  return [r / sum - 1 / 3, g / sum - 1 / 3, b / sum - 1 / 3];
}
