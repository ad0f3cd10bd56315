// One HTTP exchange with DialNexa: a request and its whole body, inside one timeout. Failures
// come back as values so the retry loop can decide; only the operation's own abort is thrown.
import * as http from 'node:http';
import * as https from 'node:https';

/** Response headers as callers read them: a fetch `Headers` or a view over node:http's. */
export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpAnswer {
  status: number;
  headers: HttpHeaders;
  /** The body as text; parsed by the caller (a stalled body must fail inside the timeout). */
  text: string;
}

export type HttpOutcome =
  | { ok: true; answer: HttpAnswer }
  | { ok: false; kind: 'timeout' | 'network'; detail: string }
  /** The body is over `maxBodyBytes`: not read (Content-Length) or cut off while streaming. */
  | { ok: false; kind: 'too-large'; status: number; headers: HttpHeaders; detail: string };

/** Far above any real page (100 records are a few tens of KB), far below what hurts a Lambda. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What a transport got: the whole body, or why it stopped reading it. */
export interface TransportAnswer {
  status: number;
  headers: HttpHeaders;
  body: { text: string } | { over: 'declared'; bytes: number } | { over: 'streamed' };
}

/**
 * Sends one GET and reads its body up to `maxBodyBytes`. Rejects on a network failure or once
 * `signal` aborts (mid-body included); never follows a redirect on its own account.
 */
export interface Transport {
  get(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal,
    maxBodyBytes: number,
  ): Promise<TransportAnswer>;
}

export interface ExchangeOptions {
  transport: Transport;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** The operation's signal (deadline, a sibling's failure): its reason is rethrown. */
  signal: AbortSignal;
  /** Largest body read; default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

export async function exchange({
  transport,
  url,
  headers,
  timeoutMs,
  signal,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
}: ExchangeOptions): Promise<HttpOutcome> {
  signal.throwIfAborted();
  // A cleared timer instead of AbortSignal.timeout: nothing stays scheduled after the answer.
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  try {
    const {
      status,
      headers: answerHeaders,
      body,
    } = await transport.get(url, headers, AbortSignal.any([timeout.signal, signal]), maxBodyBytes);
    if ('text' in body) return { ok: true, answer: { status, headers: answerHeaders, text: body.text } };
    const detail =
      body.over === 'declared'
        ? `the body is ${body.bytes} bytes (Content-Length), over the ${maxBodyBytes}-byte limit`
        : `the body ran past the ${maxBodyBytes}-byte limit`;
    return { ok: false, kind: 'too-large', status, headers: answerHeaders, detail };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (timeout.signal.aborted) {
      return { ok: false, kind: 'timeout', detail: `no complete answer within ${timeoutMs} ms` };
    }
    return { ok: false, kind: 'network', detail: describeNetworkError(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** A Content-Length over the limit, or null when there is none (or it is not a number). */
export function declaredOver(contentLength: string | null | undefined, maxBytes: number): number | null {
  const declared = Number(contentLength);
  return Number.isFinite(declared) && declared > maxBytes ? declared : null;
}

/** UTF-8 with a BOM dropped and bad bytes replaced, as res.text() does. */
export function decodeBody(chunks: readonly Uint8Array[]): string {
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** Idle keep-alive sockets close after this (undici's default): a Lambda thawed later finds none stale. */
const IDLE_SOCKET_MS = 4_000;

/**
 * The default transport: node:http for http: (the simulator on loopback), node:https otherwise,
 * over keep-alive agents of its own. Idle sockets are unref'd by the agent, so they never keep a
 * process alive. A 3xx answer is handed on as it is: no redirect is followed.
 */
export function nodeTransport(): Transport {
  const agents = {
    http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return {
    get: (url, headers, signal, maxBodyBytes) =>
      new Promise((resolve, reject) => {
        const target = new URL(url);
        const secure = target.protocol === 'https:';
        if (!secure && target.protocol !== 'http:') throw new TypeError(`unsupported protocol ${target.protocol}`);
        signal.throwIfAborted();
        const req = (secure ? https : http).get(target, { agent: secure ? agents.https : agents.http, headers });
        let settled = false;
        const settle = (finish: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          finish();
        };
        const fail = (err: unknown) => settle(() => reject(err));
        const onAbort = () => {
          fail(signal.reason);
          req.destroy();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        req.on('error', fail);
        req.on('response', (res) => {
          const answer = (body: TransportAnswer['body']) =>
            settle(() => resolve({ status: res.statusCode ?? 0, headers: new NodeHeaders(res.headers), body }));
          readBody(res, maxBodyBytes, {
            done: answer,
            // Stopped reading: the socket cannot be reused, so it goes.
            over: (body) => {
              answer(body);
              req.destroy();
            },
            fail,
          });
        });
      }),
  };
}

/** Reads `res` to its end, or stops at a Content-Length or a running size over `maxBytes`. */
function readBody(
  res: http.IncomingMessage,
  maxBytes: number,
  to: {
    done: (body: { text: string }) => void;
    over: (body: TransportAnswer['body']) => void;
    fail: (err: unknown) => void;
  },
): void {
  const declared = declaredOver(res.headers['content-length'], maxBytes);
  if (declared !== null) {
    to.over({ over: 'declared', bytes: declared });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > maxBytes) to.over({ over: 'streamed' });
    else chunks.push(chunk);
  });
  res.on('end', () => to.done({ text: decodeBody(chunks) }));
  res.on('error', to.fail);
  // A connection closed mid-body ends the response without 'end' (and, on some versions, without 'error').
  res.on('close', () => {
    if (!res.complete)
      to.fail(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' }));
  });
}

/**
 * node:http's headers (names lowercased) read like `Headers.get`: repeated values joined by ", ",
 * except those Node keeps only the first of (Retry-After, Content-Length, Location and a few more;
 * fetch joined a repeated Retry-After, which then did not parse and was ignored).
 */
class NodeHeaders implements HttpHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** The transport over an injected `fetch` (tests inject faults through it). */
export function fetchTransport(fetchFn: typeof fetch): Transport {
  return {
    async get(url, headers, signal, maxBodyBytes) {
      // redirect: 'manual' as node:http: a 3xx is an answer, the key never goes to another host.
      const res = await fetchFn(url, { method: 'GET', headers, signal, redirect: 'manual' });
      const declared = declaredOver(res.headers.get('content-length'), maxBodyBytes);
      if (declared !== null) {
        await res.body?.cancel().catch(() => undefined);
        return { status: res.status, headers: res.headers, body: { over: 'declared', bytes: declared } };
      }
      const text = await readCapped(res, maxBodyBytes);
      return { status: res.status, headers: res.headers, body: text === null ? { over: 'streamed' } : { text } };
    },
  };
}

/** The body as text, or null once it passes `maxBytes` (the rest is never read). */
async function readCapped(res: Response, maxBytes: number): Promise<string | null> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return decodeBody(chunks);
}

/**
 * "<message> (<code>)": fetch's "fetch failed (ECONNREFUSED)" as it was, node's system errors
 * with the code moved out of the message ("connect 127.0.0.1:9 (ECONNREFUSED)").
 */
function describeNetworkError(err: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (instanceof Error fails there).
  const e = err as { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const message = e && typeof e.message === 'string' ? e.message : String(err);
  if (typeof e?.code === 'string' && e.code !== '') {
    // Node puts the code in its message ("connect ECONNREFUSED 1.2.3.4:443", "read ECONNRESET"): said once, last.
    const rest = message
      .split(' ')
      .filter((word) => word !== e.code)
      .join(' ');
    return rest === '' ? e.code : `${rest} (${e.code})`;
  }
  const cause = e?.cause;
  const causeText =
    cause && typeof cause === 'object'
      ? typeof cause.code === 'string'
        ? cause.code
        : typeof cause.message === 'string'
          ? cause.message
          : ''
      : '';
  return causeText ? `${message} (${causeText})` : message;
}

export function buildUrl(baseUrl: string, path: string, query: Record<string, string | undefined>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  return url.toString();
}

const REASONS: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** "503 Service Unavailable" */
export function statusLine(status: number): string {
  return REASONS[status] ? `${status} ${REASONS[status]}` : String(status);
}
