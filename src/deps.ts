/**
 * Everything an analysis needs that is loaded once per process: binaries, models, the fusion model.
 * Built by `loadDeps()` and passed in; the core keeps no module-level state of its own.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateTools, type ToolPaths } from './decode/index.js';
import { loadFaceModels, readDescriptorCentre, type FaceModels } from './faces/index.js';
import { loadFusionModel, type FusionModel } from './fusion/model.js';
import { startRuntime } from './ml/runtime.js';

/** What stages 1–5 need: the decoder and the models that look at faces. */
export interface ObservationDeps {
  readonly tools: ToolPaths;
  readonly faceModels: FaceModels;
  /** Versions of everything that shapes a verdict, reported in the evidence and used as cache keys. */
  readonly versions: Readonly<Record<string, string>>;
}

export interface Deps extends ObservationDeps {
  readonly fusion: FusionModel;
}

export interface DepsOptions {
  /** A fusion model other than the shipped `models/fusion.json` (e.g. from `liveness calibrate`). */
  readonly fusionPath?: string;
}

/** The project's root folder (where package.json and models/ are), from dist/src/ or src/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');

export const DEFAULT_FUSION_PATH = join(PROJECT_ROOT, 'models', 'fusion.json');
/** The centre the face describer subtracts (`faces/identity.ts`). */
export const DESCRIPTOR_CENTRE_PATH = join(PROJECT_ROOT, 'models', 'faceres-centre.json');

function humanModelsDir(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@vladmandic/human');
  const root = resolve(dirname(entry), '..');
  const { version } = require(join(root, 'package.json')) as { version: string };
  return { dir: join(root, 'models'), version };
}

/** Loads everything, once per process. */
export async function loadDeps(options: DepsOptions = {}): Promise<Deps> {
  const [observation, fusion] = await Promise.all([loadObservationDeps(), loadFusionModel(options.fusionPath ?? DEFAULT_FUSION_PATH)]);
  return { ...observation, fusion, versions: { ...observation.versions, fusion: fusion.version } };
}

/**
 * Loads what stages 1–5 need (for fitting the fusion model, which cannot need itself).
 * `rawDescriptors` leaves the face describer's output uncentred, for fitting its centre.
 */
export async function loadObservationDeps(options: { readonly rawDescriptors?: boolean } = {}): Promise<ObservationDeps> {
  const runtime = await startRuntime();
  const human = humanModelsDir();
  const centre = options.rawDescriptors ? null : await readDescriptorCentre(DESCRIPTOR_CENTRE_PATH);
  const faceModels = await loadFaceModels(human.dir, centre);
  return {
    tools: locateTools(),
    faceModels,
    versions: {
      faceModels: `@vladmandic/human@${human.version} blazeface+facemesh+faceres, ${centre ? centre.version : 'raw descriptors'}`,
      runtime: `tfjs-core@${runtime.tfjsVersion} ${runtime.backend}`,
    },
  };
}
