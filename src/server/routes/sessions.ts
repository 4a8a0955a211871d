/**
 * Capture sessions: the integrator's back end asks for one with its API key and hands the token to
 * a browser, which opens the capture page and uploads a recording with the token alone.
 *
 * - `POST /v1/sessions` (API key): a session and its single-use token, shown once.
 * - `GET /v1/sessions/:id` (API key): its status, result and challenge outcome.
 * - `POST /v1/sessions/:id/challenge` (token): the colour sequence or the mouth prompts, revealed
 *   once, when capture starts.
 * - `POST /v1/sessions/:id/capture` (token): the recording; the same inference as `POST
 *   /v1/inferences` (`runInference`), then for colour and mouth sessions the challenge check. A
 *   failed challenge fails the session closed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHALLENGE_COLOURS, colourSpanMs, DEFAULT_CHALLENGE, DEFAULT_MOUTH_CHALLENGE, drawColourSequence, drawMouthPrompts, mouthSpanMs } from '../../challenge/index.js';
import { isoSeconds, type Envelope } from '../../envelope.js';
import { LivenessError } from '../../errors.js';
import type { AnalysisInput, IngestLimits, MediaSource } from '../../ingest/index.js';
import { hashApiKey, sessionStatus, type DrawnChallenge, type SessionChallenge, type SessionRecord, type SessionStore, type StoredChallengeOutcome } from '../../store/index.js';
import { inconclusiveResult } from '../../verdict/index.js';
import type { ChallengeChecker, ChallengeSpec } from '../challenge-checker.js';
import { sendError, toApiError } from '../error-reply.js';
import { parseInferenceRequest, type InferenceRequest, type MediaFetcher } from '../inference-request.js';
import type { Readiness } from '../readiness.js';
import { runInference, type InferenceRunner } from '../run-inference.js';
import { authenticateSession, checkSessionOpen } from '../session-auth.js';
import { CHALLENGE_START_FIELDS, parseChallengeStartMs, parseSessionRequest } from '../session-request.js';
import { cryptoRandom, generateSessionToken, newSessionId } from '../session-secrets.js';
import { errorResponses } from '../route-schemas.js';
import { readUploadRequest } from '../upload-request.js';

export interface SessionRouteOptions {
  readonly sessions: SessionStore;
  readonly runner: InferenceRunner;
  readonly readiness: Readiness;
  /** Checks colour and mouth challenges; without one, only sessions with challenge 'none' can be made. */
  readonly challengeChecker: ChallengeChecker | Promise<ChallengeChecker> | null;
  /** The clock that dates sessions and decides expiry (tests move it). */
  readonly now: () => Date;
  /** Seconds a challenge session's capture may take to arrive once its challenge has played out. */
  readonly challengeUploadS: number;
}

type Params = { Params: { id: string } };

const KEY_SECURITY: ReadonlyArray<Record<string, readonly string[]>> = [{ bearer: [] }, { apiKey: [] }];
const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', description: 'The session_id from POST /v1/sessions.' } }, required: ['id'] } as const;
const TOKEN_ERRORS = ['invalid_session_token', 'session_used', 'session_expired', 'invalid_argument', 'internal_error'] as const;
const SCHEMAS = {
  create: {
    summary: 'Make a capture session for a browser',
    description: 'Body: challenge ("none" | "colour" | "mouth"), return ("verdict" | "evidence"), expires_in_s (60–3600, default 600). Answers 201 with the session id, its single-use token (shown once) and the capture page URL.',
    security: KEY_SECURITY,
    response: errorResponses(['invalid_argument', 'unauthorized', 'rate_limited']),
  },
  read: {
    summary: "A session's status, result and challenge outcome",
    security: KEY_SECURITY,
    params: ID_PARAMS,
    response: errorResponses(['unauthorized', 'not_found', 'rate_limited']),
  },
  challenge: {
    summary: 'Reveal the colour sequence to flash or the mouth prompts to show, once (Authorization: Session <token>)',
    description:
      'Colour sessions: {session_id, lead_in_ms, sequence: {total_ms, steps: [{colour, rgb, start_ms, duration_ms}]}}. Mouth sessions: {session_id, lead_in_ms, prompts: {total_ms, prompts: [{start_ms, duration_ms}]}}, each prompt an "open your mouth" phase, closed before, between and after. Times from the start of the flashing or prompting, which the page begins lead_in_ms into its recording. A second reveal is 409 session_used.',
    security: [],
    params: ID_PARAMS,
    response: errorResponses(TOKEN_ERRORS),
  },
  capture: {
    summary: 'Upload the capture (Authorization: Session <token>); the token is spent',
    description:
      'multipart/form-data (model, file, and flash_start_ms for colour sessions or prompt_start_ms for mouth sessions: when the page began flashing or prompting, in ms from the start of the recording) or JSON (model, video_url as a data: URL, flash_start_ms or prompt_start_ms). A failed challenge fails closed (is_real false, real_probability and confidence 0). Answers with the verdict, or the evidence and the challenge outcome when the session asked for it.',
    security: [],
    params: ID_PARAMS,
    response: errorResponses([...TOKEN_ERRORS, 'media_too_large', 'unsupported_media', 'undecodable_media', 'url_not_allowed', 'server_busy', 'not_ready']),
  },
} as const;

/** The routes the integrator's back end calls with its API key. */
export function registerSessionRoutes(app: FastifyInstance, { sessions, challengeChecker, now }: SessionRouteOptions): void {
  app.post('/sessions', { schema: SCHEMAS.create }, async (request, reply) => {
    const asked = parseSessionRequest(request.body);
    if (asked.challenge !== 'none' && challengeChecker === null) {
      throw new LivenessError('invalid_argument', `Expected challenge 'none' (this server runs without challenge checks) but received '${asked.challenge}'`);
    }
    const createdAt = now();
    const token = generateSessionToken();
    const session = sessions.create({
      sessionId: newSessionId(),
      keyId: request.apiKey?.id ?? null,
      tokenSha256: hashApiKey(token),
      ...drawChallenge(asked.challenge),
      returnMode: asked.returnMode,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + asked.expiresInS * 1000),
    });
    return reply.code(201).send({
      session_id: session.sessionId,
      token,
      challenge: session.challenge,
      return: session.returnMode,
      expires_at: isoSeconds(new Date(session.expiresAt)),
      capture_url: `/capture?session=${session.sessionId}`,
    });
  });

  app.get<Params>('/sessions/:id', { schema: SCHEMAS.read }, async (request) => {
    const { id } = request.params;
    const found = sessions.find(id);
    // Another key's session is reported exactly like a missing one, so ids cannot be probed.
    if (!found || (request.apiKey !== null && found.session.keyId !== request.apiKey.id)) {
      throw new LivenessError('not_found', `Expected the id of a session made with this API key but received '${id.slice(0, 60)}'`);
    }
    return sessionReport(found.session, now());
  });
}

/** The routes the capture page calls with the session token (`Authorization: Session <token>`). */
export function registerSessionCaptureRoutes(app: FastifyInstance, { sessions, runner, readiness, challengeChecker, now, challengeUploadS }: SessionRouteOptions): void {
  app.post<Params>('/sessions/:id/challenge', { schema: SCHEMAS.challenge }, async (request) => {
    const session = authenticateSession(request, sessions, request.params.id);
    const at = now();
    checkSessionOpen(session, at);
    if (session.challenge === 'none') {
      throw new LivenessError('invalid_argument', "Expected a session with challenge 'colour' or 'mouth' but received one with challenge 'none'");
    }
    // Revealed once, when capture starts: a second reveal would let a replay be prepared at leisure.
    if (!sessions.markRevealed(session.sessionId, at)) {
      throw new LivenessError('session_used', `Expected a challenge not yet revealed but received a session whose challenge was revealed at ${session.revealedAt ?? 'the same moment'}`);
    }
    if (session.challenge === 'mouth') {
      const { prompts, totalMs } = session.prompts;
      return {
        session_id: session.sessionId,
        lead_in_ms: DEFAULT_MOUTH_CHALLENGE.promptStartMs,
        prompts: { total_ms: totalMs, prompts: prompts.map((prompt) => ({ start_ms: prompt.startMs, duration_ms: prompt.durationMs })) },
      };
    }
    const { steps, totalMs } = session.sequence;
    return {
      session_id: session.sessionId,
      lead_in_ms: DEFAULT_CHALLENGE.flashStartMs,
      sequence: {
        total_ms: totalMs,
        steps: steps.map((step) => ({ colour: step.colour, rgb: CHALLENGE_COLOURS[step.colour], start_ms: step.startMs, duration_ms: step.durationMs })),
      },
    };
  });

  app.post<Params>('/sessions/:id/capture', { schema: SCHEMAS.capture }, async (request, reply) => {
    const createdAt = now();
    const session = authenticateSession(request, sessions, request.params.id);
    checkSessionOpen(session, createdAt);
    if (session.challenge !== 'none') {
      if (!session.revealedAt) {
        throw new LivenessError('invalid_argument', `Expected the challenge to be revealed (POST /v1/sessions/${session.sessionId}/challenge) before the capture but it was not`);
      }
      // A revealed challenge must not be answerable at leisure (a recording tinted or cut to match it):
      // a capture that comes later than the challenge's own length plus the upload time fails the session.
      const lengthMs = challengeLengthMs(session);
      const tookMs = createdAt.getTime() - Date.parse(session.revealedAt);
      if (tookMs > lengthMs + challengeUploadS * 1000) {
        const error = new LivenessError('session_expired', `Expected the capture within ${(lengthMs / 1000 + challengeUploadS).toFixed(1)} s of revealing the challenge (its ${(lengthMs / 1000).toFixed(1)} s and ${challengeUploadS} s to upload) but it came after ${(tookMs / 1000).toFixed(1)} s; the session is failed, since its challenge is known`);
        if (sessions.markUsed(session.sessionId, createdAt)) sessions.fail({ sessionId: session.sessionId, inferenceId: null, error: { code: error.code, message: error.message }, completedAt: createdAt });
        throw error;
      }
    }
    const { parsed, challengeStartMs } = await readCapture(request, session, runner.analysis.ingest);
    request.body = undefined;
    const analyzer = readiness.analyzer();
    const spec = challengeSpec(session, challengeStartMs);
    const checker = spec ? await challengeChecker : null;
    // A challenge session never completes unchecked: a server started without checks keeps the token for one that has them.
    if (spec && !checker) {
      throw new LivenessError('not_ready', `Expected a server that checks '${spec.type}' challenges but this one runs without challenge checks; the session is not spent`);
    }
    runner.queue.checkRoom();
    // Spent before the analysis, atomically: two uploads racing with one token cannot both run.
    if (!sessions.markUsed(session.sessionId, createdAt)) {
      throw new LivenessError('session_used', 'Expected an unused session token but received one spent on a capture a moment ago');
    }
    // The analyzer may move the media's bytes to a worker thread; the challenge check reads its own copy.
    const challengeInput = spec ? copyInput(parsed.input) : null;
    const inference = await runInference(runner, analyzer, { ...parsed, includeEvidence: session.returnMode === 'evidence' }, { request, keyId: session.keyId, createdAt });
    if (!inference.ok) {
      sessions.fail({ sessionId: session.sessionId, inferenceId: inference.inferenceId, error: inference.error, completedAt: new Date() });
      return sendError(reply, inference.error, inference.inferenceId);
    }

    let challengeOutcome: StoredChallengeOutcome | null = null;
    if (checker && challengeInput && spec) {
      try {
        challengeOutcome = await runner.queue.run(() => checkToStored(checker, challengeInput, spec));
      } catch (error) {
        const coded = toApiError(error, request, runner);
        if (coded.code === 'internal_error') request.log.error({ err: error, sessionId: session.sessionId }, `the ${spec.type} challenge check failed unexpectedly`);
        sessions.fail({ sessionId: session.sessionId, inferenceId: inference.inferenceId, error: coded, completedAt: new Date() });
        return sendError(reply, coded, inference.inferenceId);
      }
    }
    // A failed challenge fails closed, whatever the passive analysis said.
    const envelope: Envelope = challengeOutcome && !challengeOutcome.passed ? { ...inference.envelope, result: inconclusiveResult() } : inference.envelope;
    const { evidence: _sent, ...stored } = envelope;
    sessions.complete({ sessionId: session.sessionId, inferenceId: inference.inferenceId, envelope: stored, challengeOutcome, completedAt: new Date() });
    const evidence = session.returnMode === 'evidence';
    return {
      session_id: session.sessionId,
      status: 'completed',
      result: envelope,
      challenge: challengeOutcome && (evidence ? challengeOutcome : { type: challengeOutcome.type, passed: challengeOutcome.passed }),
    };
  });
}

/** What `GET /v1/sessions/:id` answers. */
function sessionReport(session: SessionRecord, now: Date) {
  return {
    session_id: session.sessionId,
    status: sessionStatus(session, now),
    challenge_type: session.challenge,
    return: session.returnMode,
    created_at: isoSeconds(new Date(session.createdAt)),
    expires_at: isoSeconds(new Date(session.expiresAt)),
    inference_id: session.inferenceId,
    result: session.envelope,
    challenge: session.challengeOutcome,
    ...(session.error ? { error: session.error } : {}),
  };
}

const refuseUrls: MediaFetcher = async ({ field }) => {
  throw new LivenessError('url_not_allowed', `Expected a data: URL for ${field} in a session capture (the page uploads what it recorded) but received an http(s) URL`);
};

/**
 * The capture: a multipart upload (field `file`) or JSON with a data: URL, as for /v1/inferences, plus
 * `flash_start_ms` for colour sessions or `prompt_start_ms` for mouth sessions (never the other's).
 */
async function readCapture(
  request: FastifyRequest,
  session: SessionRecord,
  limits: IngestLimits,
): Promise<{ readonly parsed: InferenceRequest; readonly challengeStartMs: number | null }> {
  const startField = session.challenge === 'none' ? null : CHALLENGE_START_FIELDS[session.challenge];
  let parsed: InferenceRequest;
  let startMs: unknown;
  if (request.isMultipart()) {
    const upload = await readUploadRequest(request, limits, startField ? [startField] : []);
    parsed = upload;
    startMs = startField ? upload.fields[startField] : undefined;
  } else {
    const body = request.body;
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    // flash_start_ms and prompt_start_ms are ours; the rest is the body of /v1/inferences, checked by the same parser.
    const { flash_start_ms: flash, prompt_start_ms: prompt, ...rest } = isObject ? (body as Record<string, unknown>) : {};
    for (const [field, value] of [['flash_start_ms', flash], ['prompt_start_ms', prompt]] as const) {
      if (field !== startField && value !== undefined) {
        throw new LivenessError('invalid_argument', `Expected no ${field} in the capture of a session with challenge '${session.challenge}' but received one`);
      }
    }
    parsed = await parseInferenceRequest(isObject ? rest : body, limits, refuseUrls);
    startMs = startField === 'prompt_start_ms' ? prompt : flash;
  }
  if (parsed.summary.include.length > 0) {
    throw new LivenessError('invalid_argument', "Expected no include in a session capture (the session's return decides) but received one");
  }
  return { parsed, challengeStartMs: startField ? parseChallengeStartMs(startField, startMs) : null };
}

function copyInput(input: AnalysisInput): AnalysisInput {
  const copy = (source: MediaSource): MediaSource => ('bytes' in source ? { bytes: Buffer.from(source.bytes) } : source);
  return input.kind === 'media' ? { kind: 'media', source: copy(input.source) } : { kind: 'frames', frames: input.frames.map(copy) };
}

/** What a new session draws for its challenge, from the CSPRNG; kept on the server until revealed. */
function drawChallenge(challenge: SessionChallenge): DrawnChallenge {
  switch (challenge) {
    case 'colour':
      return { challenge, sequence: drawColourSequence(cryptoRandom) };
    case 'mouth':
      return { challenge, prompts: drawMouthPrompts(cryptoRandom) };
    case 'none':
      return { challenge };
  }
}

/** From the reveal to the end of what the check reads: the page's lead-in, the challenge, the camera's delay. */
function challengeLengthMs(session: SessionRecord): number {
  if (session.challenge === 'colour') return colourSpanMs(session.sequence);
  if (session.challenge === 'mouth') return mouthSpanMs(session.prompts);
  return 0;
}

/** What the checker is asked for a session's capture; null for a session without a challenge. */
function challengeSpec(session: SessionRecord, startMs: number | null): ChallengeSpec | null {
  if (session.challenge === 'none' || startMs === null) return null;
  return session.challenge === 'colour' ? { type: 'colour', sequence: session.sequence, flashStartMs: startMs } : { type: 'mouth', prompts: session.prompts, promptStartMs: startMs };
}

/** Runs the check and keeps its outcome as stored and reported: snake_case, with when the page began. */
async function checkToStored(checker: ChallengeChecker, input: AnalysisInput, spec: ChallengeSpec): Promise<StoredChallengeOutcome> {
  if (spec.type === 'colour') {
    const outcome = await checker.check(input, spec);
    return {
      type: 'colour',
      passed: outcome.passed,
      flash_start_ms: spec.flashStartMs,
      correlation: outcome.correlation,
      lag_ms: outcome.lagMs,
      aligned_share: outcome.alignedShare,
      steps: outcome.steps.map(({ colour, frames, alignment }) => ({ colour, frames, alignment })),
    };
  }
  const outcome = await checker.check(input, spec);
  return {
    type: 'mouth',
    passed: outcome.passed,
    prompt_start_ms: spec.promptStartMs,
    correlation: outcome.correlation,
    lag_ms: outcome.lagMs,
    rest_level: outcome.restLevel,
    rest_spread: outcome.restSpread,
    rest_frames: outcome.restFrames,
    prompts: outcome.prompts.map(({ frames, rise }) => ({ frames, rise })),
  };
}
