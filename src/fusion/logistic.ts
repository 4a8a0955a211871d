/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares),
 * with optional per-sample weights. Small and exact: the fusion models have a handful of features.
 */
export interface LogisticFit {
  readonly weights: number[];
  readonly bias: number;
}

export function fitLogistic(x: readonly number[][], y: readonly number[], options: { l2: number; sampleWeights?: readonly number[]; iterations?: number } = { l2: 1 }): LogisticFit {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const beta = new Array<number>(d + 1).fill(0); // [bias, ...weights]
  const row = (i: number) => [1, ...x[i]!];
  for (let iteration = 0; iteration < (options.iterations ?? 50); iteration++) {
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const xi = row(i);
      const p = sigmoid(dot(beta, xi));
      const w = options.sampleWeights?.[i] ?? 1;
      for (let j = 0; j <= d; j++) {
        gradient[j]! += w * (p - y[i]!) * xi[j]!;
        for (let k = 0; k <= d; k++) hessian[j]![k]! += w * p * (1 - p) * xi[j]! * xi[k]!;
      }
    }
    for (let j = 1; j <= d; j++) {
      gradient[j]! += options.l2 * beta[j]!;
      hessian[j]![j]! += options.l2;
    }
    hessian[0]![0]! += 1e-9;
    const step = solve(hessian, gradient);
    let change = 0;
    for (let j = 0; j <= d; j++) {
      beta[j]! -= step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
    if (change < 1e-9) break;
  }
  return { bias: beta[0]!, weights: beta.slice(1) };
}

export function predictLogistic(fit: LogisticFit, features: readonly number[]): number {
  return sigmoid(fit.bias + dot(fit.weights, features));
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function dot(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i]! * q[i]!;
  return sum;
}

/** Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const diag = m[col]![col]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r]![col]! / diag;
      for (let c = col; c <= n; c++) m[r]![c]! -= factor * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1e-12));
}
