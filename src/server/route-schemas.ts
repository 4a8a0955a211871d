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
  description:
    'Exactly one of video_url or image_url. Any other field is refused. Or send multipart/form-data with the fields model, include, async, webhook_url and one file field named file.',
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
    async: {
      type: 'boolean',
      default: false,
      description:
        "true answers 202 at once with status 'queued' and a Location header; poll GET /v1/inferences/{id}, or give webhook_url. In a form: 'true' or 'false'. When the queue is full it is refused with 503 server_busy, never accepted and dropped.",
    },
    webhook_url: {
      type: 'string',
      format: 'uri',
      maxLength: 2048,
      description:
        'With async: true only. An http(s) URL (no credentials) that receives a POST of the JSON body GET /v1/inferences/{id} answers once the inference is completed or failed. Its host must resolve to public addresses or be in LIVENESS_URL_ALLOWLIST (checked at submission: 400 otherwise, and again at each delivery); redirects are not followed. Headers: Liveness-Timestamp (Unix seconds), Liveness-Signature (v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the key\'s webhook secret from `liveness keys webhook-secret <key-id>`), Liveness-Attempt. A 2xx within 10 s counts as delivered; otherwise it is retried after LIVENESS_WEBHOOK_RETRY_BASE_MS × 2^(n−1) plus up to 25 % jitter, LIVENESS_WEBHOOK_MAX_ATTEMPTS attempts in all. See GET /v1/inferences/{id}/webhook.',
    },
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

export const PENDING_SCHEMA = {
  type: 'object',
  description:
    "The envelope of an inference not finished yet: 'queued' (accepted asynchronously, waiting for its media and a free analysis slot) or 'processing' (being analysed). The outcome's fields are null until it completes.",
  required: ['inference_id', 'model_id', 'model_name', 'moderation_type', 'status', 'result', 'response_time_ms', 'created_at', 'completed_at'],
  properties: {
    inference_id: { type: 'string', pattern: '^inf_[a-z0-9]{24}$' },
    model_id: { type: 'string', const: 'face_liveness' },
    model_name: { type: 'string', const: 'Face Liveness Detection' },
    moderation_type: { type: 'null', description: 'Known once the bytes are analysed.' },
    status: { type: 'string', enum: ['queued', 'processing'] },
    result: { type: 'null' },
    response_time_ms: { type: 'null' },
    created_at: { type: 'string', format: 'date-time' },
    completed_at: { type: 'null' },
  },
} as const;

export const WEBHOOK_SCHEMA = {
  type: 'object',
  description: "An asynchronous inference's webhook and every attempt to deliver it, oldest first.",
  required: ['inference_id', 'url', 'status', 'next_attempt_at', 'attempts'],
  properties: {
    inference_id: { type: 'string' },
    url: { type: 'string', format: 'uri' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'], description: 'pending until an attempt gets a 2xx (delivered) or the attempts run out (failed).' },
    next_attempt_at: { type: ['string', 'null'], format: 'date-time', description: 'When the next attempt is due; null while the inference runs and once delivered or failed.' },
    attempts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['attempt', 'started_at', 'duration_ms', 'http_status', 'error', 'outcome', 'next_attempt_at'],
        properties: {
          attempt: { type: 'integer', minimum: 1 },
          started_at: { type: 'string', format: 'date-time' },
          duration_ms: { type: 'integer' },
          http_status: { type: ['integer', 'null'], description: "The receiver's status; null when no response came." },
          error: { type: ['string', 'null'], description: 'Why the attempt failed; null when delivered.' },
          outcome: { type: 'string', enum: ['delivered', 'retrying', 'failed'] },
          next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
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
