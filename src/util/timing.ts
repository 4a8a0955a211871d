/** Per-stage wall times of one analysis, in milliseconds. */
export type StageTimings = Record<string, number>;

/** Runs one stage and records its wall time under `name`. */
export async function timeStage<T>(timings: StageTimings, name: string, stage: () => Promise<T> | T): Promise<T> {
  const startedAt = performance.now();
  try {
    return await stage();
  } finally {
    timings[name] = Math.round((performance.now() - startedAt) * 10) / 10;
  }
}
