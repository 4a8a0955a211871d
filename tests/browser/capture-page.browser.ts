/**
 * The capture page in a real browser: Debian's Chromium, driven by playwright-core, with a fake
 * camera that plays a y4m made from franck.mp4. It goes from the guide to the verdict and shows
 * "Live" for the live clip; a denied camera shows its message; colour and mouth sessions show their
 * challenge and, as the fake camera cannot follow it, fail closed. Screenshots of each state go to
 * test-artefacts/capture-page/. Run with `npm run test:browser`; the browser talks to 127.0.0.1 only.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadDeps } from '../../src/deps.js';
import { inProcessAnalyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { inProcessChallengeChecker } from '../../src/server/challenge-checker.js';
import { readServerConfig } from '../../src/server/config.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FRANCK, ffmpeg, loopedStill, noFranck, scratch } from '../helpers/media.js';

const CHROMIUM = process.env.LIVENESS_CHROMIUM ?? '/usr/bin/chromium';
const ARTEFACTS = resolve('test-artefacts', 'capture-page');
/** The flags the brief names: no GPU, no network of its own, a fake camera and no permission prompt UI. */
const BASE_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--use-fake-device-for-media-stream'];
const skip = noFranck || (existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

let dataDir: string;
let store: Store;
let app: FastifyInstance;
let baseUrl: string;
let key: string;
let clip: string;
let embedServer: Server;
let embedOrigin: string;
let embedHtml = '';

before(async () => {
  if (skip) return;
  await mkdir(ARTEFACTS, { recursive: true });
  const deps = await loadDeps();
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-browser-'));
  store = openStore(dataDir);
  key = store.keys.create({ name: 'browser', ratePerMinute: 1000 }).secret;
  // An integrator's page on another origin (another port), for the embedded element.
  embedServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(embedHtml));
  await new Promise<void>((done) => embedServer.listen(0, '127.0.0.1', done));
  embedOrigin = `http://127.0.0.1:${(embedServer.address() as AddressInfo).port}`;
  app = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_FRAME_ANCESTORS: embedOrigin }), analyzer: inProcessAnalyzer(deps), challengeChecker: inProcessChallengeChecker(deps), store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // Chromium's fake camera plays a y4m file in a loop: 12 s of the live talking face, 640×480 at 30 fps.
  clip = join(await scratch(), 'franck-camera.y4m');
  if (!existsSync(clip)) await ffmpeg(['-ss', '5', '-t', '12', '-i', FRANCK, '-vf', 'scale=640:480,fps=30', '-pix_fmt', 'yuv420p', '-an', clip]);
});

after(async () => {
  if (skip) return;
  await app.close();
  await new Promise((done) => embedServer.close(done));
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function createSession(body: object): Promise<{ session_id: string; token: string; capture_url: string }> {
  const response = await fetch(`${baseUrl}/v1/sessions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 201);
  return (await response.json()) as { session_id: string; token: string; capture_url: string };
}

async function launch(flags: string[]): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...flags] });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

test('the page goes from the guide to the verdict and shows Live for the live clip, with the evidence', { skip, timeout: 180_000 }, async () => {
  const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const session = await createSession({ challenge: 'none', return: 'evidence' });
    await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
    await page.getByRole('button', { name: 'Start the camera' }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
    await shot(page, '1-intro');

    await page.keyboard.press('Enter'); // the start button has the focus: keyboard only
    const record = page.getByRole('button', { name: 'Record' });
    await record.waitFor();
    await page.waitForFunction(() => !(document.getElementById('record') as HTMLButtonElement).disabled);
    await page.waitForFunction(() => !/Starting/.test(document.getElementById('feedback')!.textContent ?? ''));
    await page.waitForTimeout(1000);
    await shot(page, '2-guide');

    await record.click();
    await page.waitForFunction(() => /Recording in/.test(document.getElementById('feedback')!.textContent ?? ''));
    await shot(page, '3-countdown');
    await page.waitForFunction(() => document.getElementById('app')!.dataset.state === 'upload', undefined, { timeout: 30_000 });
    await shot(page, '4-upload');
    await page.waitForFunction(() => ['result', 'problem'].includes(document.getElementById('app')!.dataset.state ?? ''), undefined, { timeout: 120_000 });
    await shot(page, '5-result');
    const state = await page.evaluate(() => document.getElementById('app')!.dataset.state);
    assert.equal(state, 'result', await page.locator('#problem').innerText());
    assert.equal(await page.locator('#verdict').innerText(), 'Live');
    assert.ok((await page.locator('#evidence-frames li').count()) > 0, 'the evidence frames are shown');
    assert.ok((await page.locator('#evidence-signals tbody tr').count()) > 0, 'the signal values are shown');

    const report = await (await fetch(`${baseUrl}/v1/sessions/${session.session_id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(report.status, 'completed');
    assert.equal(report.result.result.is_real, true);
    for (const url of requests) assert.ok(url.startsWith(baseUrl) || url.startsWith('data:') || url.startsWith('blob:'), url);
  } finally {
    await browser.close();
  }
});

test('a still photo looped as the camera is an attack', { skip, timeout: 180_000 }, async () => {
  // The fake camera plays one frame of the face, unmoving, with fresh sensor noise per frame.
  const still = join(await scratch(), 'franck-looped-camera.y4m');
  if (!existsSync(still)) await ffmpeg(['-i', await loopedStill(3), '-vf', 'scale=640:480,fps=30', '-t', '5', '-pix_fmt', 'yuv420p', '-an', still]);
  const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${still}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 1 });
    const session = await createSession({ challenge: 'none', return: 'verdict' });
    await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
    await page.getByRole('button', { name: 'Start the camera' }).click();
    const record = page.getByRole('button', { name: 'Record' });
    await record.waitFor();
    await page.waitForFunction(() => !(document.getElementById('record') as HTMLButtonElement).disabled);
    await record.click();
    await page.waitForFunction(() => ['result', 'problem'].includes(document.getElementById('app')!.dataset.state ?? ''), undefined, { timeout: 120_000 });
    await shot(page, 'looped-still-result');
    assert.equal(await page.evaluate(() => document.getElementById('app')!.dataset.state), 'result', await page.locator('#problem').innerText());
    assert.equal(await page.locator('#verdict').innerText(), 'Not live');
    const report = await (await fetch(`${baseUrl}/v1/sessions/${session.session_id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(report.result.result.is_real, false);
  } finally {
    await browser.close();
  }
});

test('the <liveness-capture> element embeds the page in another origin and fires result', { skip, timeout: 180_000 }, async () => {
  const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  try {
    const session = await createSession({ challenge: 'none', return: 'verdict' });
    embedHtml = `<!doctype html><html lang="en"><head><title>integrator</title></head><body>
<script type="module" src="${baseUrl}/capture/liveness-capture.js"></script>
<liveness-capture src="${baseUrl}${session.capture_url}#token=${session.token}"></liveness-capture>
<script>document.querySelector('liveness-capture').addEventListener('result', (event) => { window.livenessResult = event.detail; });</script>
</body></html>`;
    const page = await browser.newPage({ viewport: { width: 500, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(`${embedOrigin}/`);
    const frame = page.frameLocator('liveness-capture iframe');
    await frame.getByRole('button', { name: 'Start the camera' }).click();
    const record = frame.getByRole('button', { name: 'Record' });
    await record.waitFor();
    await page.waitForTimeout(1000);
    await record.click();
    await page.waitForFunction(() => (window as unknown as { livenessResult?: unknown }).livenessResult !== undefined, undefined, { timeout: 120_000 });
    await shot(page, 'embedded-result');
    const detail = await page.evaluate(() => (window as unknown as { livenessResult: { session: string; result: { is_real: boolean } } }).livenessResult);
    assert.equal(detail.session, session.session_id);
    assert.equal(detail.result.is_real, true);
  } finally {
    await browser.close();
  }
});

test('a denied camera shows its message and a way to try again', { skip, timeout: 60_000 }, async () => {
  const browser = await launch(['--deny-permission-prompts']);
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 915 } });
    const session = await createSession({ challenge: 'none' });
    await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
    await page.getByRole('button', { name: 'Start the camera' }).click();
    await page.getByRole('alert').waitFor();
    await shot(page, '6-camera-denied');
    assert.equal(await page.locator('#problem-heading').innerText(), 'Camera access was denied');
    assert.ok(await page.getByRole('button', { name: 'Try again' }).isVisible());
  } finally {
    await browser.close();
  }
});

test('a colour session warns about flashing first, and offers the check without flashing', { skip, timeout: 60_000 }, async () => {
  const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const session = await createSession({ challenge: 'colour' });
    await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
    await page.getByRole('note').waitFor();
    await shot(page, '7-colour-warning');
    assert.match(await page.getByRole('note').innerText(), /Flashing colours/);
    await page.getByRole('button', { name: 'Check without flashing' }).click();
    await shot(page, '8-colour-passive');
    assert.equal(await page.locator('#problem-heading').innerText(), 'Check without flashing');
  } finally {
    await browser.close();
  }
});

test('a colour session flashes the revealed sequence while recording; the fake camera does not reflect it, so it fails closed', { skip, timeout: 180_000 }, async () => {
  const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 915 } });
    const session = await createSession({ challenge: 'colour', return: 'evidence' });
    await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
    await page.getByRole('button', { name: 'Start the camera' }).click();
    const record = page.getByRole('button', { name: 'Record' });
    await page.waitForFunction(() => !(document.getElementById('record') as HTMLButtonElement).disabled);
    await record.click();
    // The flash layer turns from black to the first colour once the recording has begun.
    await page.waitForFunction(() => !['', 'rgb(0, 0, 0)'].includes(getComputedStyle(document.getElementById('flash')!).backgroundColor), undefined, { timeout: 30_000 });
    await shot(page, '9-colour-flashing');
    await page.waitForFunction(() => ['result', 'problem'].includes(document.getElementById('app')!.dataset.state ?? ''), undefined, { timeout: 120_000 });
    await shot(page, '10-colour-result');
    assert.equal(await page.evaluate(() => document.getElementById('app')!.dataset.state), 'result', await page.locator('#problem').innerText());
    assert.equal(await page.locator('#verdict').innerText(), 'Not live');
    assert.match(await page.locator('#challenge-summary').innerText(), /^Failed: correlation/);

    const report = await (await fetch(`${baseUrl}/v1/sessions/${session.session_id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(report.challenge.passed, false);
    assert.ok(report.challenge.flash_start_ms >= 500 && report.challenge.flash_start_ms < 1500, `flash_start_ms ${report.challenge.flash_start_ms}`);
    assert.equal(report.result.result.is_real, false);
  } finally {
    await browser.close();
  }
});

test('a mouth session shows the revealed prompts while recording; the man talking does not follow them, so it fails closed', { skip, timeout: 180_000 }, async () => {
  const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 915 } });
    const session = await createSession({ challenge: 'mouth', return: 'evidence' });
    await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
    await page.getByRole('note').waitFor();
    assert.match(await page.getByRole('note').innerText(), /^Open and close your mouth/);
    assert.ok(await page.locator('#flash-warning').isHidden(), 'nothing flashes: no flashing warning');
    assert.equal(await page.getByRole('button', { name: 'Check without flashing' }).count(), 0);
    await shot(page, '13-mouth-intro');
    await page.getByRole('button', { name: 'Start the camera' }).click();
    await page.waitForFunction(() => !(document.getElementById('record') as HTMLButtonElement).disabled);
    await page.getByRole('button', { name: 'Record' }).click();
    // Each instruction is shown under the oval and announced in the live region at once.
    const shows = (text: string) =>
      page.waitForFunction((expected) => document.getElementById('prompt')!.textContent === expected && document.getElementById('feedback')!.textContent === expected, text, { timeout: 30_000 });
    await shows('Keep your mouth closed');
    await shows('Open your mouth wide');
    await shot(page, '14-mouth-open');
    await shows('Close your mouth');
    await page.waitForFunction(() => ['result', 'problem'].includes(document.getElementById('app')!.dataset.state ?? ''), undefined, { timeout: 120_000 });
    await shot(page, '15-mouth-result');
    assert.equal(await page.evaluate(() => document.getElementById('app')!.dataset.state), 'result', await page.locator('#problem').innerText());
    assert.equal(await page.locator('#verdict').innerText(), 'Not live');
    assert.equal(await page.locator('#verdict-detail').innerText(), 'Your mouth did not open and close when asked.');
    assert.equal(await page.locator('#challenge-heading').innerText(), 'Mouth challenge');
    assert.match(await page.locator('#challenge-summary').innerText(), /^Failed: correlation .* reaction delay \d+ ms; mouth opening at rest .*, spread .* over \d+ frames\.$/);

    const report = await (await fetch(`${baseUrl}/v1/sessions/${session.session_id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.equal(report.challenge.type, 'mouth');
    assert.equal(report.challenge.passed, false);
    assert.ok(report.challenge.prompt_start_ms >= 500 && report.challenge.prompt_start_ms < 1500, `prompt_start_ms ${report.challenge.prompt_start_ms}`);
    assert.equal(await page.locator('#challenge-prompts tbody tr').count(), report.challenge.prompts.length);
    assert.equal(report.result.result.is_real, false);
  } finally {
    await browser.close();
  }
});

test('the guide says too dark for a dark picture, and asks to centre the face when the oval holds nothing', { skip, timeout: 120_000 }, async () => {
  const dark = join(await scratch(), 'franck-camera-dark.y4m');
  if (!existsSync(dark)) await ffmpeg(['-ss', '5', '-t', '3', '-i', FRANCK, '-vf', 'scale=640:480,fps=30,lutyuv=y=val*0.15', '-pix_fmt', 'yuv420p', '-an', dark]);
  const empty = join(await scratch(), 'grey-camera.y4m');
  if (!existsSync(empty)) await ffmpeg(['-f', 'lavfi', '-i', 'color=c=gray:size=640x480:rate=30:duration=3', '-pix_fmt', 'yuv420p', empty]);
  for (const [clipPath, expected, name] of [[dark, /^Too dark/, '11-guide-too-dark'], [empty, /^Centre your face/, '12-guide-centre']] as const) {
    const browser = await launch(['--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clipPath}`]);
    try {
      const page = await browser.newPage({ viewport: { width: 412, height: 915 } });
      const session = await createSession({ challenge: 'none' });
      await page.goto(`${baseUrl}${session.capture_url}#token=${session.token}`);
      await page.getByRole('button', { name: 'Start the camera' }).click();
      await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('feedback')!.textContent ?? ''), expected.source, { timeout: 20_000 });
      await shot(page, name);
      assert.equal(await page.evaluate(() => document.getElementById('app')!.dataset.guide), 'bad');
    } finally {
      await browser.close();
    }
  }
});
