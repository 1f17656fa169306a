/**
 * The `app://nexis/` scheme the packaged renderer is served from (electron/main/protocol.ts registers it), as pure
 * functions tested under Node: which file a request may read, and the response headers, including the
 * Content-Security-Policy (a header also covers what a `<meta>` cannot: `frame-ancestors`).
 *
 * Requests are judged on the URL text as received, before any normalisation could turn `app://nexis/a/../../x` into
 * something harmless-looking: every path segment must decode to a plain file name (letters, digits, `.`, `_`, `-`,
 * not starting with a dot), so `..`, `%2e%2e`, encoded slashes or backslashes, null bytes, drive letters and empty
 * segments are refused outright; the resolved file must still lie inside the renderer folder, also after symlinks.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'nexis';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The renderer's policy: the same directives as the `<meta http-equiv="Content-Security-Policy">` in
 * renderer/index.html (a test keeps them equal), plus `frame-ancestors 'none'`, which only a header can carry.
 */
export const RENDERER_CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
] as const;
export const HEADER_ONLY_CSP_DIRECTIVES = ["frame-ancestors 'none'"] as const;
export const CONTENT_SECURITY_POLICY = [...RENDERER_CSP_DIRECTIVES, ...HEADER_ONLY_CSP_DIRECTIVES].join('; ');

/** What the built renderer contains; anything else is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
};

export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export type AppRequest =
  | { readonly ok: true; readonly file: string; readonly contentType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/;
/** A file or folder name of the built renderer (Vite's hashed names fit). */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const refuse = (status: 400 | 403 | 404, reason: string): AppRequest => ({ ok: false, status, reason });

/** Whether `url` is a page of the app itself (navigation inside the app is allowed, anything else is not). */
export function isAppUrl(url: string): boolean {
  const match = URL_SHAPE.exec(url);
  return match !== null && match[1]?.toLowerCase() === APP_SCHEME && match[2]?.toLowerCase() === APP_HOST;
}

/** Which file of `rendererDir` an `app://` request reads, or why it is refused. Pure: touches no file. */
export function resolveAppRequest(rendererDir: string, url: string): AppRequest {
  // Control characters (a null byte above all) and backslashes have no place in our URLs, raw or decoded.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(url)) {
    return refuse(400, 'control character or backslash in the URL');
  }
  const match = URL_SHAPE.exec(url);
  if (match === null) {
    return refuse(400, 'not a URL');
  }
  const [, scheme = '', authority = '', rawPath = '/'] = match;
  if (scheme.toLowerCase() !== APP_SCHEME) {
    return refuse(403, 'another scheme');
  }
  // No user, password or port: exactly the app's host.
  if (authority.toLowerCase() !== APP_HOST) {
    return refuse(403, 'another host');
  }
  const segments = rawPath === '/' ? ['index.html'] : rawPath.slice(1).split('/');
  const names: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return refuse(400, 'malformed percent-encoding');
    }
    if (!PLAIN_SEGMENT.test(name)) {
      return refuse(403, 'path segment is not a plain file name');
    }
    names.push(name);
  }
  const root = resolve(rendererDir);
  const file = resolve(root, ...names);
  if (!file.startsWith(root + sep)) {
    return refuse(403, 'outside the renderer folder');
  }
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  if (contentType === undefined) {
    return refuse(404, 'not a renderer file type');
  }
  return { ok: true, file, contentType };
}

/**
 * The protocol handler's whole answer to an `app://` request: the file with its headers, or a bare status. A
 * symlink inside the folder that points outside it is refused like a `..`. Synchronous reads: the renderer folder
 * sits inside app.asar in a packaged app, and Electron's asar support covers the synchronous fs calls fully.
 */
export function appResponse(rendererDir: string, url: string): Response {
  const request = resolveAppRequest(rendererDir, url);
  if (!request.ok) {
    return new Response(null, { status: request.status, headers: APP_RESPONSE_HEADERS });
  }
  try {
    const root = realpathSync(rendererDir);
    const real = realpathSync(request.file);
    if (!real.startsWith(root + sep)) {
      return new Response(null, { status: 403, headers: APP_RESPONSE_HEADERS });
    }
    const body = readFileSync(real);
    return new Response(body, {
      status: 200,
      headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': request.contentType },
    });
  } catch {
    return new Response(null, { status: 404, headers: APP_RESPONSE_HEADERS });
  }
}
