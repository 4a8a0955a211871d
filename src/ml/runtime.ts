/**
 * The one door to the ML runtime (TensorFlow.js on its WebAssembly backend, which installs from the
 * npm registry with no native download). Models are tfjs graph models read from disk; nothing is
 * fetched over the network.
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import type { io } from '@tensorflow/tfjs-core';

export type { GraphModel } from '@tensorflow/tfjs-converter';

export interface MlRuntime {
  readonly backend: string;
  readonly tfjsVersion: string;
}

/** Starts the WebAssembly backend. tfjs keeps its engine per process, so this is idempotent. */
export async function startRuntime(): Promise<MlRuntime> {
  if (tf.getBackend() !== 'wasm') {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('the tfjs WebAssembly backend failed to start');
  }
  await tf.ready();
  return { backend: tf.getBackend(), tfjsVersion: tf.version_core };
}

/** Loads a graph model from its `model.json` and weight file(s) on disk. */
export async function loadGraphModelFromFile(jsonPath: string): Promise<GraphModel> {
  const manifest = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: Array<{ paths: string[]; weights: io.WeightsManifestEntry[] }>;
    format?: string;
    generatedBy?: string;
    convertedBy?: string;
    signature?: unknown;
    userDefinedMetadata?: Record<string, object>;
  };
  const folder = jsonPath.slice(0, jsonPath.lastIndexOf('/') + 1);
  const weightFiles = await Promise.all(manifest.weightsManifest.flatMap((group) => group.paths).map((path) => readFile(folder + path)));
  const weightData = Buffer.concat(weightFiles);
  const artifacts: io.ModelArtifacts = {
    modelTopology: manifest.modelTopology as io.ModelArtifacts['modelTopology'],
    weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    format: manifest.format,
    generatedBy: manifest.generatedBy,
    convertedBy: manifest.convertedBy ?? null,
    signature: manifest.signature as io.ModelArtifacts['signature'],
    userDefinedMetadata: manifest.userDefinedMetadata,
  };
  return loadGraphModel({ load: async () => artifacts });
}

/**
 * Runs a model on one float input of the given shape and returns every output as plain arrays,
 * disposing all tensors it made.
 */
export function runModel(model: GraphModel, input: Float32Array, shape: readonly number[]): Array<{ shape: number[]; data: Float32Array }> {
  return tf.tidy(() => {
    const tensor = tf.tensor(input, [...shape], 'float32');
    const output = model.execute(tensor);
    const outputs = Array.isArray(output) ? output : [output];
    return outputs.map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  });
}
