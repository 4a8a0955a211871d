/**
 * `POST /v1/inferences` as `multipart/form-data`, for clients that would rather upload than encode:
 * the text fields `model` (required) and `include` (optional, `evidence`) and one file part named
 * `file`. The file is read into memory and refused as it streams past the media limit.
 *
 * @example
 * curl -H "Authorization: Bearer $KEY" -F model=face-liveness -F file=@selfie.mp4 http://127.0.0.1:8080/v1/inferences
 */
import type { FastifyRequest } from 'fastify';
import { invalidArgument, LivenessError } from '../errors.js';
import type { IngestLimits } from '../ingest/index.js';
import { checkModel, parseInclude, toInferenceRequest, type InferenceRequest, type ReceivedMedia } from './inference-request.js';
import { formatBytes } from '../util/format.js';

const TEXT_FIELDS = ['model', 'include'] as const;
/** Room for the form's boundaries, part headers and text fields beside the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads the form. `extraFields` names text fields a route accepts beside model and include (a
 * session capture's `flash_start_ms`); their values come back in `fields`.
 */
export async function readUploadRequest(
  request: FastifyRequest,
  limits: Pick<IngestLimits, 'maxBytes'>,
  extraFields: readonly string[] = [],
): Promise<InferenceRequest & { readonly fields: Readonly<Record<string, string>> }> {
  const accepted = [...TEXT_FIELDS, ...extraFields];
  // Fastify's bodyLimit does not cover streamed multipart bodies: refuse an announced oversize at once.
  const declaredBytes = Number(request.headers['content-length']);
  if (declaredBytes > limits.maxBytes + FORM_OVERHEAD_BYTES) {
    throw new LivenessError('media_too_large', `Expected at most ${formatBytes(limits.maxBytes)} of media but received an upload of ${formatBytes(declaredBytes)}`);
  }
  const text: Record<string, string[]> = {};
  let media: ReceivedMedia | null = null;
  try {
    const parts = request.parts({ limits: { fileSize: limits.maxBytes, files: 1, fields: 8, fieldSize: 4096 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw new LivenessError('invalid_argument', `Expected the media in a file field named 'file' but received a file field named '${part.fieldname}'`);
        media = { bytes: await part.toBuffer(), scheme: 'upload', mediaType: part.mimetype };
      } else {
        if (!accepted.includes(part.fieldname)) {
          throw new LivenessError('invalid_argument', `Expected only the fields ${accepted.join(', ')} and file in the form but received the field '${part.fieldname}'`);
        }
        (text[part.fieldname] ??= []).push(String(part.value));
      }
    }
  } catch (error) {
    throw uploadError(error, limits.maxBytes);
  }
  if (text.model && text.model.length > 1) throw invalidArgument('one model field', 'model', text.model);
  checkModel(text.model?.[0]);
  const include = parseInclude(text.include);
  if (!media) throw new LivenessError('invalid_argument', "Expected the media in a file field named 'file' but the form has none");
  const fields: Record<string, string> = {};
  for (const name of extraFields) {
    const values = text[name];
    if (values && values.length > 1) throw invalidArgument(`one ${name} field`, name, values);
    if (values) fields[name] = values[0]!;
  }
  return { ...toInferenceRequest('file', [media], { frames: false, include }), fields };
}

/** @fastify/multipart's limit errors, in the project's terms. */
function uploadError(error: unknown, maxBytes: number): unknown {
  switch ((error as { code?: unknown }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new LivenessError('media_too_large', `Expected at most ${formatBytes(maxBytes)} of media but the uploaded file is larger`);
    case 'FST_FILES_LIMIT':
      return new LivenessError('invalid_argument', 'Expected one file in the form but received more');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new LivenessError('invalid_argument', 'Expected the fields model, include and file in the form but received many more');
    default:
      return error;
  }
}

