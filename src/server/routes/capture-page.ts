/**
 * The capture page (`web/capture/`), served by the server itself: no CDN, no third-party script.
 * `GET /capture?session=<id>` is the page, marked with the session's challenge and status so it can
 * warn before any camera prompt; `GET /capture/<asset>` its script and style. A strict Content
 * Security Policy keeps everything on this origin.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../../deps.js';
import { LivenessError } from '../../errors.js';
import { sessionStatus, type SessionStore } from '../../store/index.js';

export const CAPTURE_PAGE_DIR = join(PROJECT_ROOT, 'web', 'capture');

const ASSETS: Readonly<Record<string, string>> = {
  'capture.js': 'text/javascript; charset=utf-8',
  'capture.css': 'text/css; charset=utf-8',
  'liveness-capture.js': 'text/javascript; charset=utf-8',
};

/**
 * Camera frames stay in blob: URLs and canvases; data: images are the page's own snapshots. Only
 * this origin and the configured LIVENESS_FRAME_ANCESTORS may frame the page.
 */
function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors 'self'${frameAncestors.map((origin) => ` ${origin}`).join('')}`,
  ].join('; ');
}

export function registerCapturePage(
  app: FastifyInstance,
  { sessions, now, frameAncestors }: { readonly sessions: SessionStore; readonly now: () => Date; readonly frameAncestors: readonly string[] },
): void {
  const policy = contentSecurityPolicy(frameAncestors);
  app.get<{ Querystring: { session?: string } }>('/capture', { schema: { hide: true } }, async (request, reply) => {
    const sessionId = typeof request.query.session === 'string' ? request.query.session : '';
    const session = sessionId ? sessions.find(sessionId)?.session : undefined;
    const status = session ? sessionStatus(session, now()) : 'unknown';
    const html = (await readFile(join(CAPTURE_PAGE_DIR, 'index.html'), 'utf8')).replace(
      '<html lang="en">',
      `<html lang="en" data-challenge="${session?.challenge ?? 'none'}" data-session-status="${status}">`,
    );
    return reply
      .header('content-security-policy', policy)
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('permissions-policy', 'camera=(self), microphone=()')
      .type('text/html; charset=utf-8')
      .send(html);
  });

  app.get<{ Params: { asset: string } }>('/capture/:asset', { schema: { hide: true } }, async (request, reply) => {
    const type = ASSETS[request.params.asset];
    if (!type) throw new LivenessError('not_found', `Expected one of the capture page's files ${Object.keys(ASSETS).join(', ')} but received '${request.params.asset.slice(0, 60)}'`);
    // The embeddable element is loaded as a module script by the integrator's page, on another origin.
    if (request.params.asset === 'liveness-capture.js') reply.header('access-control-allow-origin', '*');
    return reply.header('cache-control', 'no-cache').type(type).send(await readFile(join(CAPTURE_PAGE_DIR, request.params.asset)));
  });
}
