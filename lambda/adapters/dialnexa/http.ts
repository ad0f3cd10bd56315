// One HTTP exchange with DialNexa: a request and its whole body, inside one timeout. Failures
// come back as values so the retry loop can decide; only the operation's own abort is thrown.

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The body as text; parsed by the caller (a stalled body must fail inside the timeout). */
  text: string;
}

export type HttpOutcome =
  | { ok: true; answer: HttpAnswer }
  | { ok: false; kind: 'timeout' | 'network'; detail: string };

export interface ExchangeOptions {
  fetch: typeof fetch;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** The operation's signal (deadline, a sibling's failure): its reason is rethrown. */
  signal: AbortSignal;
}

export async function exchange({ fetch: fetchFn, url, headers, timeoutMs, signal }: ExchangeOptions): Promise<HttpOutcome> {
  signal.throwIfAborted();
  // A cleared timer instead of AbortSignal.timeout: nothing stays scheduled after the answer.
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  try {
    const res = await fetchFn(url, { method: 'GET', headers, signal: AbortSignal.any([timeout.signal, signal]) });
    const text = await res.text();
    return { ok: true, answer: { status: res.status, headers: res.headers, text } };
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

function describeNetworkError(err: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (instanceof Error fails there).
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const message = e && typeof e.message === 'string' ? e.message : String(err);
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
