// @ts-check
/**
 * The capture page: camera → oval guide with light feedback → countdown → 5 s of WebM (with the
 * colour sequence flashed around the oval for colour sessions, or longer with "open your mouth" /
 * "close your mouth" instructions for mouth sessions) → upload with progress → verdict.
 * Talks only to this server, with the session token from the URL fragment (#token=…), which is
 * never sent in a URL and never stored.
 */

const MODEL = 'face-liveness';
/**
 * The analysis samples 16 frames of the first 6 s and its model was fitted on such windows: over 3 s,
 * 2 of 29 hand-moved photos of the bench passed; over 5 s, none did (README, "Capture sessions").
 */
const RECORD_MS = 5000;
/** Room after the last colour for the camera's delay (the server tries up to 400 ms). */
const AFTER_FLASH_MS = 700;
/** Room after the prompting's closed tail for the person's reaction and the camera's delay. */
const AFTER_PROMPTS_MS = 800;
/** What the page says in each phase of the mouth challenge: before the first prompt, during one, after one. */
const MOUTH_INSTRUCTIONS = { rest: 'Keep your mouth closed', open: 'Open your mouth wide', close: 'Close your mouth' };
/** The guide looks at a small copy of the picture, a few times a second: cheap and enough. */
const GUIDE_W = 64, GUIDE_H = 48, GUIDE_EVERY_MS = 250;
/** Mean luma (0–255) under which the face is too dark to analyse, and frame-to-frame change above which it moves. */
const TOO_DARK = 55, TOO_BRIGHT = 235, MOVING = 14;
/**
 * Share of skin-coloured pixels (YCbCr rule of Chai & Ngan, 1999: 77 ≤ Cb ≤ 127, 133 ≤ Cr ≤ 173)
 * inside the oval under which the face is too small, and outside it over which it is too large.
 * A light check: it guides the user, the server decides.
 */
const SKIN_IN_OVAL_MIN = 0.25, SKIN_OUTSIDE_MAX = 0.3;
const THUMB_EVERY_MS = 200;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

const page = {
  app: $('app'),
  sections: ['intro', 'capture', 'upload', 'result', 'problem'].map((id) => $(id)),
  video: /** @type {HTMLVideoElement} */ ($('preview')),
  flash: $('flash'),
  prompt: $('prompt'),
  feedback: $('feedback'),
  countdown: $('countdown'),
  record: /** @type {HTMLButtonElement} */ ($('record')),
  progress: /** @type {HTMLProgressElement} */ ($('progress')),
  uploadStatus: $('upload-status'),
  retry: /** @type {HTMLButtonElement} */ ($('retry')),
};

/** Shows one section and moves focus to its heading or first control, for keyboard and screen-reader users. */
function show(/** @type {string} */ id, /** @type {HTMLElement | null} */ focus = null) {
  for (const section of page.sections) section.hidden = section.id !== id;
  page.app.dataset.state = id;
  const target = focus ?? $(id).querySelector('button:not([hidden]):not([disabled])') ?? $(id).querySelector('h2');
  if (target && !target.matches('button, [tabindex]')) target.setAttribute('tabindex', '-1');
  /** @type {HTMLElement | null} */ (target)?.focus();
}

/**
 * Tells an embedding page (the `<liveness-capture>` element) what happened. Only the verdict travels
 * this way, never the token; the integrator's back end reads the authoritative result by session id.
 */
function notifyParent(/** @type {string} */ type, /** @type {object} */ detail) {
  if (window.parent !== window) window.parent.postMessage({ type: `liveness:${type}`, session: sessionId, ...detail }, '*');
}

function problem(/** @type {string} */ heading, /** @type {string} */ detail, /** @type {(() => void) | null} */ retry = null) {
  notifyParent('error', { heading, detail, retryable: retry !== null });
  $('problem-heading').textContent = heading;
  $('problem-detail').textContent = detail;
  page.retry.hidden = retry === null;
  page.retry.onclick = retry;
  show('problem', retry ? page.retry : $('problem-heading'));
}

const sessionId = new URLSearchParams(location.search).get('session') ?? '';
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
// The token stays in this page's memory only: drop it from the address bar and history.
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

/** @param {string} path @param {RequestInit} [init] */
async function call(path, init = {}) {
  const response = await fetch(`/v1/sessions/${encodeURIComponent(sessionId)}${path}`, {
    ...init,
    headers: { authorization: `Session ${token}`, ...(init.headers ?? {}) },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error(body?.error?.message ?? `HTTP ${response.status}`), { code: body?.error?.code, status: response.status });
  return body;
}

/** The server's refusals, in words for the person in front of the camera. */
function explainServerError(/** @type {any} */ error) {
  switch (error.code) {
    case 'session_expired': return ['This link has expired', 'Go back to the service that sent you here and start again.'];
    case 'session_used': return ['This link was already used', 'Each link works once. Go back to the service that sent you here for a new one.'];
    case 'invalid_session_token': return ['This link is not valid', 'Open the link exactly as the service gave it to you.'];
    default: return ['The check could not be completed', error.message];
  }
}

function supported() {
  return Boolean(navigator.mediaDevices?.getUserMedia && window.MediaRecorder && pickMimeType());
}

function pickMimeType() {
  const types = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm', 'video/mp4'];
  return window.MediaRecorder ? types.find((type) => MediaRecorder.isTypeSupported(type)) ?? null : null;
}

/** @returns {Promise<MediaStream | null>} */
async function openCamera() {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } } });
  } catch (error) {
    const name = /** @type {DOMException} */ (error).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      problem('Camera access was denied', 'Allow this page to use the camera (in your browser\'s address bar or settings), then try again.', () => location.reload());
    } else if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      problem('No camera found', 'This check needs a front camera. Connect one or open the link on a phone, then try again.', () => location.reload());
    } else if (name === 'NotReadableError' || name === 'AbortError') {
      problem('The camera is busy', 'Another app or tab is using the camera. Close it, then try again.', () => location.reload());
    } else {
      problem('The camera could not start', String(/** @type {Error} */ (error).message ?? error), () => location.reload());
    }
    return null;
  }
}

/**
 * Light feedback from brightness and frame differences inside the oval (no face model in the page):
 * too dark, too bright, moving, or nothing in the middle that differs from the edges.
 */
function startGuide() {
  const canvas = document.createElement('canvas');
  canvas.width = GUIDE_W;
  canvas.height = GUIDE_H;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
  /** @type {Float32Array | null} */
  let previous = null;
  const timer = setInterval(() => {
    if (page.video.readyState < 2) return;
    context.drawImage(page.video, 0, 0, GUIDE_W, GUIDE_H);
    const { data } = context.getImageData(0, 0, GUIDE_W, GUIDE_H);
    const luma = new Float32Array(GUIDE_W * GUIDE_H);
    for (let i = 0; i < luma.length; i++) luma[i] = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
    let centre = 0, centreN = 0, edge = 0, edgeN = 0, change = 0, skinIn = 0, skinOut = 0;
    for (let y = 0; y < GUIDE_H; y++) {
      for (let x = 0; x < GUIDE_W; x++) {
        const i = y * GUIDE_W + x;
        const inOval = ((x - GUIDE_W / 2) / (GUIDE_W * 0.31)) ** 2 + ((y - GUIDE_H / 2) / (GUIDE_H * 0.35)) ** 2 <= 1;
        const r = data[i * 4], g = data[i * 4 + 1], b = data[i * 4 + 2];
        const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
        const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
        const skin = cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173 ? 1 : 0;
        if (inOval) { centre += luma[i]; centreN++; skinIn += skin; } else { edge += luma[i]; edgeN++; skinOut += skin; }
        if (previous) change += Math.abs(luma[i] - previous[i]);
      }
    }
    centre /= centreN;
    edge /= edgeN;
    skinIn /= centreN;
    skinOut /= edgeN;
    change /= luma.length;
    const moving = previous !== null && change > MOVING;
    previous = luma;
    let message = 'Good — keep your face inside the oval';
    if (centre < TOO_DARK) message = 'Too dark — face a light or a window';
    else if (centre > TOO_BRIGHT) message = 'Too bright — move away from the direct light';
    else if (moving) message = 'Hold still';
    else if (Math.abs(centre - edge) < 3 || skinIn < SKIN_IN_OVAL_MIN / 3) message = 'Centre your face in the oval';
    else if (skinOut > SKIN_OUTSIDE_MAX) message = 'Move back a little';
    else if (skinIn < SKIN_IN_OVAL_MIN) message = 'Move closer';
    const good = message.startsWith('Good');
    page.app.dataset.guide = good ? 'good' : 'bad';
    if (page.feedback.textContent !== message) page.feedback.textContent = message;
  }, GUIDE_EVERY_MS);
  return () => clearInterval(timer);
}

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

async function countdown() {
  for (const n of [3, 2, 1]) {
    page.countdown.textContent = String(n);
    page.feedback.textContent = `Recording in ${n}…`;
    if (!reducedMotion()) {
      page.countdown.classList.remove('tick');
      void page.countdown.offsetWidth;
      page.countdown.classList.add('tick');
    }
    await sleep(1000);
  }
  page.countdown.textContent = '';
}

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {{ lead_in_ms: number, sequence: { total_ms: number, steps: Array<{ rgb: number[], start_ms: number, duration_ms: number }> } }} ColourChallenge
 * @typedef {{ lead_in_ms: number, prompts: { total_ms: number, prompts: Array<{ start_ms: number, duration_ms: number }> } }} MouthChallenge
 */

/**
 * Records the stream; for a colour session, flashes the sequence around the oval from `lead_in_ms`
 * after the recorder started, for a mouth session shows the instructions from then, and measures
 * when the first colour or instruction was actually painted (`startMs`, sent as `startField`).
 * @param {MediaStream} stream
 * @param {ColourChallenge | MouthChallenge | null} challenge
 */
async function record(stream, challenge) {
  const mimeType = /** @type {string} */ (pickMimeType());
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_500_000 });
  /** @type {Blob[]} */
  const chunks = [];
  recorder.ondataavailable = (event) => { if (event.data.size > 0) chunks.push(event.data); };
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  const started = new Promise((resolve) => { recorder.onstart = resolve; });
  const thumbs = startThumbnails();
  recorder.start();
  await started;
  const startedAt = performance.now();
  thumbs.setStart(startedAt);
  page.feedback.textContent = 'Recording — hold still';
  let lengthMs = RECORD_MS;
  /** @type {{ startField: string, startMs: number } | null} */
  let shown = null;
  if (challenge && 'sequence' in challenge) {
    lengthMs = Math.max(RECORD_MS, challenge.lead_in_ms + challenge.sequence.total_ms + AFTER_FLASH_MS);
    shown = { startField: 'flash_start_ms', startMs: await flash(challenge, startedAt) };
  } else if (challenge) {
    lengthMs = Math.max(RECORD_MS, challenge.lead_in_ms + challenge.prompts.total_ms + AFTER_PROMPTS_MS);
    shown = { startField: 'prompt_start_ms', startMs: await prompt(challenge, startedAt) };
  }
  await sleep(Math.max(0, lengthMs - (performance.now() - startedAt)));
  recorder.stop();
  await stopped;
  thumbs.stop();
  page.flash.style.background = '';
  page.prompt.textContent = '';
  delete page.prompt.dataset.phase;
  return { blob: new Blob(chunks, { type: mimeType.split(';')[0] }), challenge: shown, thumbnails: thumbs.list };
}

/** Paints each step at its time, frame by frame; returns when the first colour was on screen, from the recording's start. */
async function flash(/** @type {ColourChallenge} */ challenge, /** @type {number} */ startedAt) {
  const steps = challenge.sequence.steps;
  await sleep(Math.max(0, challenge.lead_in_ms - (performance.now() - startedAt)));
  return new Promise((resolve) => {
    let firstPaintMs = /** @type {number | null} */ (null);
    let flashStart = performance.now();
    const paint = (/** @type {number} */ now) => {
      if (firstPaintMs === null) { firstPaintMs = now - startedAt; flashStart = now; }
      const t = now - flashStart;
      const step = steps.find((/** @type {any} */ s) => t >= s.start_ms && t < s.start_ms + s.duration_ms);
      if (!step) {
        page.flash.style.background = '#000';
        resolve(Math.round(/** @type {number} */ (firstPaintMs)));
        return;
      }
      page.flash.style.background = `rgb(${step.rgb.join(',')})`;
      requestAnimationFrame(paint);
    };
    requestAnimationFrame(paint);
  });
}

/**
 * Shows each phase's instruction at its time, frame by frame, in large type under the oval and in
 * the live region (announced once per change); returns when the first instruction was on screen,
 * from the recording's start. The last one ("Close your mouth") stays until the recording stops.
 */
async function prompt(/** @type {MouthChallenge} */ challenge, /** @type {number} */ startedAt) {
  const { prompts, total_ms: totalMs } = challenge.prompts;
  await sleep(Math.max(0, challenge.lead_in_ms - (performance.now() - startedAt)));
  return new Promise((resolve) => {
    let firstPaintMs = /** @type {number | null} */ (null);
    let promptStart = performance.now();
    const paint = (/** @type {number} */ now) => {
      if (firstPaintMs === null) { firstPaintMs = now - startedAt; promptStart = now; }
      const t = now - promptStart;
      if (t >= totalMs) {
        resolve(Math.round(firstPaintMs));
        return;
      }
      const open = prompts.some((p) => t >= p.start_ms && t < p.start_ms + p.duration_ms);
      const phase = open ? 'open' : prompts.some((p) => t >= p.start_ms + p.duration_ms) ? 'close' : 'rest';
      if (page.prompt.dataset.phase !== phase) {
        page.prompt.dataset.phase = phase;
        page.prompt.textContent = MOUTH_INSTRUCTIONS[phase];
        page.feedback.textContent = MOUTH_INSTRUCTIONS[phase];
      }
      requestAnimationFrame(paint);
    };
    requestAnimationFrame(paint);
  });
}

/** Small snapshots of the preview while recording, to show beside the evidence's frames. */
function startThumbnails() {
  /** @type {Array<{ atMs: number, url: string }>} */
  const list = [];
  let startedAt = performance.now();
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 120;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const timer = setInterval(() => {
    if (page.video.readyState < 2) return;
    context.drawImage(page.video, 0, 0, canvas.width, canvas.height);
    list.push({ atMs: performance.now() - startedAt, url: canvas.toDataURL('image/jpeg', 0.7) });
  }, THUMB_EVERY_MS);
  return { list, stop: () => clearInterval(timer), setStart: (/** @type {number} */ at) => { startedAt = at; } };
}

/** Uploads with progress (fetch has no upload progress); resolves with the server's answer. */
function upload(/** @type {Blob} */ blob, /** @type {{ startField: string, startMs: number } | null} */ challenge) {
  const form = new FormData();
  form.append('model', MODEL);
  if (challenge) form.append(challenge.startField, String(challenge.startMs));
  form.append('file', blob, blob.type.includes('mp4') ? 'capture.mp4' : 'capture.webm');
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/capture`);
    request.setRequestHeader('authorization', `Session ${token}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.round((event.loaded / event.total) * 100);
      page.progress.value = percent;
      page.progress.textContent = `${percent} %`;
      page.uploadStatus.textContent = percent < 100 ? `Uploading… ${percent} %` : 'Uploaded — checking your recording…';
    };
    request.onload = () => {
      const body = request.response;
      if (request.status >= 200 && request.status < 300) resolve(body);
      else reject(Object.assign(new Error(body?.error?.message ?? `HTTP ${request.status}`), { code: body?.error?.code, status: request.status }));
    };
    request.onerror = () => reject(Object.assign(new Error('network'), { code: 'network' }));
    request.send(form);
  });
}

/** What the page says for each attack type (the API's attack_type_name). */
const ATTACK_DESCRIPTIONS = {
  print: 'This looks like a printed photo.',
  replay: 'This looks like a photo or video on a screen.',
  paper_mask: 'This looks like a paper mask or a cut-out.',
  mask_3d: 'This looks like a mask.',
  injection: 'This looks like an injected or synthetic video.',
};

/** What the page says when the session's challenge failed. @type {Record<string, string>} */
const CHALLENGE_FAILURES = {
  colour: 'The light on your face did not follow the colours on the screen.',
  mouth: 'Your mouth did not open and close when asked.',
};

/** @param {any} answer @param {Array<{ atMs: number, url: string }>} thumbnails */
function showResult(answer, thumbnails) {
  const result = answer.result.result;
  notifyParent('result', { result, inconclusive: answer.result.inconclusive ?? null, challenge: answer.challenge ?? null });
  const verdict = $('verdict');
  verdict.textContent = result.is_real ? 'Live' : 'Not live';
  verdict.className = result.is_real ? 'live' : 'not-live';
  const detail = answer.result.inconclusive
    ? `We could not check the recording: ${answer.result.inconclusive.message}`
    : answer.challenge && !answer.challenge.passed
      ? CHALLENGE_FAILURES[answer.challenge.type] ?? 'You did not follow the check on the screen.'
      : result.is_real
        ? 'A live person was in front of the camera.'
        : ATTACK_DESCRIPTIONS[result.attack_type_name] ?? 'This does not look like a live person in front of the camera.';
  $('verdict-detail').textContent = detail;
  const evidence = answer.result.evidence;
  if (evidence) renderEvidence(evidence, answer.challenge, thumbnails);
  show('result', $('result'));
}

/** @param {any} evidence @param {any} challenge @param {Array<{ atMs: number, url: string }>} thumbnails */
function renderEvidence(evidence, challenge, thumbnails) {
  $('evidence').hidden = false;
  const frames = $('evidence-frames');
  frames.replaceChildren(...evidence.frames.map((/** @type {any} */ frame) => {
    const item = document.createElement('li');
    item.className = frame.usable ? 'usable' : 'unusable';
    const nearest = thumbnails.reduce((best, thumb) => (best === null || Math.abs(thumb.atMs - (frame.timestampMs ?? 0)) < Math.abs(best.atMs - (frame.timestampMs ?? 0)) ? thumb : best), /** @type {any} */ (null));
    if (nearest) {
      const figure = document.createElement('div');
      figure.className = 'frame';
      const image = document.createElement('img');
      image.src = nearest.url;
      image.alt = `Frame ${frame.index} at ${frame.timestampMs ?? '?'} ms`;
      figure.append(image);
      if (frame.face && frame.width && frame.height) {
        // The face box the server found, in the analysed frame's pixels, as shares of the picture.
        const [x, y, w, h] = frame.face.box;
        const box = document.createElement('span');
        box.className = 'face-box';
        box.style.left = `${(100 * x) / frame.width}%`;
        box.style.top = `${(100 * y) / frame.height}%`;
        box.style.width = `${(100 * w) / frame.width}%`;
        box.style.height = `${(100 * h) / frame.height}%`;
        figure.append(box);
      }
      item.append(figure);
    }
    item.append(`#${frame.index} · ${frame.timestampMs ?? '?'} ms · ${frame.usable ? 'used' : frame.failure ?? 'not used'}`);
    return item;
  }));
  const rows = evidence.signals.map((/** @type {any} */ signal) => {
    const row = document.createElement('tr');
    for (const text of [signal.name, format(signal.value), format(signal.contribution)]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  /** @type {HTMLElement} */ ($('evidence-signals').querySelector('tbody')).replaceChildren(...rows);
  if (challenge?.steps) {
    $('challenge-heading').textContent = 'Colour challenge';
    $('challenge-summary').textContent = `${challenge.passed ? 'Passed' : 'Failed'}: correlation ${challenge.correlation}, camera delay ${challenge.lag_ms} ms, ${Math.round(challenge.aligned_share * 100)} % of steps in the colour's direction.`;
    fillTable('challenge-steps', challenge.steps.map((/** @type {any} */ step, /** @type {number} */ i) => [String(i + 1), step.colour, String(step.frames), format(step.alignment)]));
  } else if (challenge?.prompts) {
    $('challenge-heading').textContent = 'Mouth challenge';
    $('challenge-summary').textContent =
      `${challenge.passed ? 'Passed' : 'Failed'}: correlation ${challenge.correlation} with the prompts, reaction delay ${challenge.lag_ms} ms; ` +
      `mouth opening at rest ${challenge.rest_level}, spread ${challenge.rest_spread} over ${challenge.rest_frames} frames.`;
    fillTable('challenge-prompts', challenge.prompts.map((/** @type {any} */ p, /** @type {number} */ i) => [String(i + 1), String(p.frames), format(p.rise)]));
  }
}

/** Shows the challenge table `id` with one row per entry of `rows`. */
function fillTable(/** @type {string} */ id, /** @type {string[][]} */ rows) {
  $('evidence-challenge').hidden = false;
  $(id).hidden = false;
  /** @type {HTMLElement} */ ($(id).querySelector('tbody')).replaceChildren(...rows.map((texts) => {
    const row = document.createElement('tr');
    for (const text of texts) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  }));
}

const format = (/** @type {unknown} */ value) => (typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : value === null || value === undefined ? '–' : String(value));

async function main() {
  if (!sessionId || !token) {
    problem('This link is incomplete', 'Open the link exactly as the service gave it to you: it names a session and carries its token.');
    return;
  }
  if (!supported()) {
    problem('This browser cannot record video', 'Open the link in a recent Chrome, Edge, Firefox or Safari.');
    return;
  }
  // The server marks the page with what it knows of the session (src/server/routes/capture-page.ts).
  const { challenge, sessionStatus } = document.documentElement.dataset;
  if (sessionStatus === 'unknown') return problem('This link is not valid', 'Open the link exactly as the service gave it to you.');
  if (sessionStatus === 'expired') return problem('This link has expired', 'Go back to the service that sent you here and start again.');
  if (sessionStatus !== 'pending') return problem('This link was already used', 'Each link works once. Go back to the service that sent you here for a new one.');
  const colour = challenge === 'colour';
  const mouth = challenge === 'mouth';
  $('flash-warning').hidden = !colour;
  $('passive').hidden = !colour;
  $('mouth-note').hidden = !mouth;
  if (mouth) $('record-length').textContent = 'We record up to 15 seconds of video of your face. Nothing else is recorded.';
  $('passive').onclick = () => {
    // The session was made for the colour challenge; only the service can offer another one.
    notifyParent('passive-requested', {});
    problem('Check without flashing', 'Go back to the service that sent you here and ask for the check without flashing colours.');
  };
  show('intro');
  $('start').onclick = () => void capture(colour || mouth);
}

async function capture(/** @type {boolean} */ withChallenge) {
  show('capture');
  const stream = await openCamera();
  if (!stream) return;
  page.video.srcObject = stream;
  await page.video.play().catch(() => undefined);
  const stopGuide = startGuide();
  page.record.disabled = false;
  page.record.focus();
  page.record.onclick = async () => {
    page.record.disabled = true;
    try {
      await countdown();
      // Revealed only now, at the start of the capture: the sequence or prompts are secret until shown.
      const challenge = withChallenge ? await call('/challenge', { method: 'POST' }) : null;
      stopGuide();
      const recording = await record(stream, challenge);
      stream.getTracks().forEach((track) => track.stop());
      await send(recording);
    } catch (error) {
      stopGuide();
      stream.getTracks().forEach((track) => track.stop());
      const [heading, detail] = explainServerError(error);
      problem(heading, detail);
    }
  };
}

/** @param {{ blob: Blob, challenge: { startField: string, startMs: number } | null, thumbnails: Array<{ atMs: number, url: string }> }} recording */
async function send(recording) {
  show('upload');
  page.progress.value = 0;
  page.uploadStatus.textContent = 'Uploading…';
  try {
    showResult(await upload(recording.blob, recording.challenge), recording.thumbnails);
  } catch (error) {
    if (/** @type {any} */ (error).code === 'network') {
      problem('Network error', 'The recording could not be sent. Check your connection, then try again: the recording is kept.', () => void send(recording));
    } else {
      const [heading, detail] = explainServerError(error);
      problem(heading, detail);
    }
  }
}

void main();
