/**
 * JSON Schemas of the API, for the OpenAPI document (openapi.ts). They describe; they do not
 * check: the body is checked field by field by inference-request.ts, whose messages say what was
 * expected, and replies are serialised as they are (see `documentOnly` in app.ts).
 */
import { ERROR_TABLE, type ErrorCode } from '../errors.js';

const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

const mediaUrl = {
  type: 'string',
  description: 'A data: URL with base64 media (data:video/mp4;base64,…) or an http(s) URL the server fetches (see LIVENESS_URL_ALLOWLIST). The bytes decide the format.',
} as const;

export const INFERENCE_REQUEST_SCHEMA = {
  type: 'object',
  description: 'Exactly one of video_url or image_url. Any other field is refused. Or send multipart/form-data with the fields model, include and one file field named file.',
  required: ['model'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', const: 'face-liveness' },
    video_url: mediaUrl,
    image_url: {
      description: 'One still, or 1–16 frames of one capture (the contract sends 8).',
      oneOf: [mediaUrl, { type: 'array', items: mediaUrl, minItems: 1, maxItems: 16 }],
    },
    include: { type: 'array', items: { type: 'string', enum: ['evidence'] }, description: "['evidence'] adds the evidence to the envelope." },
  },
} as const;

const RESULT_SCHEMA = {
  type: 'object',
  required: ['is_real', 'is_spoof', 'real_probability', 'confidence', 'attack_type', 'attack_type_name', 'attack_type_confidence'],
  properties: {
    is_real: { type: 'boolean' },
    is_spoof: { type: 'boolean' },
    real_probability: { type: 'number', minimum: 0, maximum: 1 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    attack_type: { type: 'integer', minimum: 0, maximum: 6 },
    attack_type_name: { type: 'string' },
    attack_type_confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

export const ENVELOPE_SCHEMA = {
  type: 'object',
  description: "The contract's envelope, field for field; inconclusive and evidence are ours.",
  required: ['inference_id', 'model_id', 'model_name', 'moderation_type', 'status', 'result', 'response_time_ms', 'created_at', 'completed_at'],
  properties: {
    inference_id: { type: 'string', pattern: '^inf_[a-z0-9]{24}$' },
    model_id: { type: 'string', const: 'face_liveness' },
    model_name: { type: 'string', const: 'Face Liveness Detection' },
    moderation_type: { type: 'string', enum: ['video', 'image'] },
    status: { type: 'string', const: 'completed' },
    result: RESULT_SCHEMA,
    response_time_ms: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    completed_at: { type: 'string', format: 'date-time' },
    inconclusive: { type: 'object', description: 'Present when the analysis was inconclusive (no face, several faces…); the result then fails closed.', additionalProperties: true },
    evidence: { type: 'object', description: "Present when include has 'evidence': why the analysis decided what it did.", additionalProperties: true },
  },
} as const;

export const PROCESSING_SCHEMA = {
  type: 'object',
  required: ['inference_id', 'model_id', 'model_name', 'status', 'created_at'],
  properties: {
    inference_id: { type: 'string' },
    model_id: { type: 'string' },
    model_name: { type: 'string' },
    status: { type: 'string', const: 'processing' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ERROR_CODES, description: 'Every code, with its status and meaning, is listed in the responses of each route.' },
        message: { type: 'string', description: 'Says what was expected and what came instead.' },
      },
    },
    inference_id: { type: 'string', description: 'Present once the request was recorded (it was valid and analysis began).' },
  },
} as const;

/** One response per HTTP status that `codes` can answer with, each listing its codes and meanings. */
export function errorResponses(codes: readonly ErrorCode[] = ERROR_CODES): Record<string, { description: string } & typeof ERROR_SCHEMA> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_TABLE[code].httpStatus, [...(byStatus.get(ERROR_TABLE[code].httpStatus) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      { ...ERROR_SCHEMA, description: statusCodes.map((code) => `\`${code}\`: ${ERROR_TABLE[code].description}`).join('\n\n') },
    ]),
  );
}
