/**
 * What `GET /v1/inferences/:id` answers for a record, and what its webhook delivers: the envelope
 * of a completed inference (with the evidence when asked for), the error of a failed one (with its
 * status from the error table), or, while it is queued or running, 202 with the envelope's shape
 * and nulls where the outcome will go.
 */
import { isoSeconds, MODEL_ID, MODEL_NAME } from '../envelope.js';
import { ERROR_TABLE } from '../errors.js';
import type { InferenceRecord } from '../store/index.js';
import { errorBody } from './error-reply.js';

export interface InferenceReply {
  readonly statusCode: number;
  readonly body: unknown;
}

export function inferenceReply(record: InferenceRecord): InferenceReply {
  if (record.status === 'failed') return { statusCode: ERROR_TABLE[record.error!.code].httpStatus, body: errorBody(record.error!, record.inferenceId) };
  if (record.status === 'completed') {
    return { statusCode: 200, body: record.request.include.includes('evidence') ? { ...record.envelope!, evidence: record.evidence } : record.envelope };
  }
  return { statusCode: 202, body: pendingEnvelope(record.inferenceId, record.status, new Date(record.createdAt)) };
}

/** The envelope of an inference not finished yet: the outcome's fields are null until it completes. */
export function pendingEnvelope(inferenceId: string, status: 'queued' | 'processing', createdAt: Date) {
  return {
    inference_id: inferenceId,
    model_id: MODEL_ID,
    model_name: MODEL_NAME,
    // Known once the bytes are analysed: the format is decided by them, not by the field.
    moderation_type: null,
    status,
    result: null,
    response_time_ms: null,
    created_at: isoSeconds(createdAt),
    completed_at: null,
  };
}
