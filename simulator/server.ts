// The DialNexa API as a real HTTP server on 127.0.0.1, with the misbehaviour a client must survive
// available on demand. Only node:http: it must start in milliseconds inside any test.
import * as http from 'node:http';
import type { Socket } from 'node:net';
import {
  AGENT_TYPES,
  type Fault,
  type FaultMatch,
  type RecordedRequest,
  FOLDERS_MAX_LIMIT,
  type SimAgent,
  type SimFolder,
  type Simulator,
  type SimulatorOptions,
  type SimRecord,
} from './types';
import { FixedWindowLimiter, type RateDecision } from './ratelimit';
import { pageBody, parseListQuery } from './listing';
import { callsBody, type IndexedCall, indexCalls, parseCallsQuery } from './calls';
import { mulberry32, type Rng } from './prng';

/** The contract requires `id` and `agent_type`; a test agent given without a type gets the common one. */
function withRequiredAgentFields(agent: SimAgent): SimAgent {
  return { agent_type: AGENT_TYPES[0], folder_id: null, ...agent };
}

/** The contract's required folder fields; a test folder given without them gets fixed ones. */
function withRequiredFolderFields(folder: SimFolder): SimFolder {
  return {
    organization_id: 'org_simulator',
    is_deleted: false,
    created_at: '2026-01-05T10:00:00.000Z',
    updated_at: '2026-01-05T10:00:00.000Z',
    ...folder,
  };
}

export const LIST_PATH = '/v1/organization-phone-numbers';
export const AGENTS_PATH = '/v1/agents';
export const FOLDERS_PATH = '/v1/organization-folders';
export const PRICING_PATH = '/v1/phone-number-pricing';
export const CALLS_PATH = '/v1/calls';
export const DEFAULT_API_KEY = 'dnx_test_simulator_key';
export const HTML_502_BODY = '<html><body><h1>502 Bad Gateway</h1></body></html>';

type Access = 'full' | 'no-phone-numbers' | 'no-agents' | 'no-folders' | 'no-calls';

/** A request as routing sees it: the key's access (none: unauthorized) and its rate-limit decision. */
interface Asked {
  method: string;
  path: string;
  query: Record<string, string>;
  access: Access | undefined;
  rate: RateDecision | undefined;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  fault?: Fault['kind'];
  /** Sent chunked, without Content-Length. */
  chunked?: boolean;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Invalid or missing API key',
  403: 'Forbidden resource',
  404: 'Not Found',
  429: 'ThrottlerException: Too Many Requests',
  500: 'Internal server error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function jsonAnswer(status: number, body: string, headers: Record<string, string>): Answer {
  return { status, body, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } };
}

function errorAnswer(status: number, message: string | string[], headers: Record<string, string>): Answer {
  const error = http.STATUS_CODES[status] ?? 'Error';
  return jsonAnswer(status, JSON.stringify({ statusCode: status, message, error }), headers);
}

function html502(): Answer {
  // A proxy answered, not the API: no rate-limit headers.
  return {
    status: 502,
    body: HTML_502_BODY,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    fault: 'html-502',
  };
}

function bearerKey(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S.*)$/i.exec(header ?? '');
  return m ? m[1].trim() : undefined;
}

class SimulatorServer implements Simulator {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: RecordedRequest[] = [];
  private readonly records: SimRecord[] = [];
  private readonly calls: IndexedCall[];
  private agents: SimAgent[];
  private folders: SimFolder[];
  private readonly faults: Array<{ fault: Fault; match?: FaultMatch }> = [];
  private readonly hooks: Array<{ page: number; hook: () => void }> = [];
  private readonly keys: Record<string, Access>;
  private readonly limiter?: FixedWindowLimiter;
  private readonly random?: Rng;
  private readonly now: () => number;
  private seq = 0;
  private closing?: Promise<void>;
  private address = '';
  readonly apiKey: string;

  constructor(private readonly options: SimulatorOptions) {
    const maxLimit = options.maxLimit ?? 100;
    if (!Number.isInteger(maxLimit) || maxLimit < 1) throw new RangeError('maxLimit must be a positive integer');
    this.keys = { ...(options.keys ?? { [DEFAULT_API_KEY]: 'full' }) };
    const names = Object.keys(this.keys);
    this.apiKey = names.find((k) => this.keys[k] === 'full') ?? names[0] ?? '';
    this.now = options.now ?? Date.now;
    if (options.rateLimit) this.limiter = new FixedWindowLimiter(options.rateLimit);
    if (options.randomFaults) this.random = mulberry32(options.randomFaults.seed);
    this.add(...(options.numbers ?? []));
    this.agents = structuredClone(options.agents ?? []);
    this.folders = structuredClone(options.folders ?? []);
    this.calls = indexCalls(options.calls ?? []);
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return this.address;
  }

  get requests(): RecordedRequest[] {
    return this.log;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        const addr = this.server.address();
        if (addr === null || typeof addr === 'string') return reject(new Error('simulator has no TCP address'));
        this.address = `http://127.0.0.1:${addr.port}`;
        resolve();
      });
    });
  }

  inventory(): SimRecord[] {
    return structuredClone(this.records);
  }

  add(...records: SimRecord[]): void {
    for (const r of records) {
      if (this.records.some((x) => x.id === r.id)) throw new Error(`duplicate record id ${r.id}`);
      this.records.push(structuredClone(r));
    }
  }

  remove(...ids: string[]): void {
    const gone = new Set(ids);
    for (let i = this.records.length - 1; i >= 0; i--) if (gone.has(this.records[i].id)) this.records.splice(i, 1);
  }

  /** A patch value of `undefined` deletes the field (to make it absent, not null). */
  update(id: string, patch: Record<string, unknown>): void {
    const rec = this.records.find((r) => r.id === id);
    if (!rec) throw new Error(`no record ${id}`);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete rec[k];
      else rec[k] = structuredClone(v);
    }
  }

  setAgents(agents: SimAgent[]): void {
    this.agents = structuredClone(agents);
  }

  setFolders(folders: SimFolder[]): void {
    this.folders = structuredClone(folders);
  }

  enqueueFault(fault: Fault, match?: FaultMatch): void {
    this.faults.push({ fault, match });
  }

  afterPage(page: number, hook: () => void): void {
    this.hooks.push({ page, hook });
  }

  resetLog(): void {
    this.log.length = 0;
    this.seq = 0;
    this.limiter?.reset();
  }

  close(): Promise<void> {
    if (!this.closing) {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.closing = new Promise((resolve) => {
        if (!this.server.listening) return resolve();
        this.server.close(() => resolve());
        // Hanging and keep-alive connections would otherwise hold close() (and jest) open.
        for (const s of this.sockets) s.destroy();
        this.server.closeAllConnections();
      });
    }
    return this.closing;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    res.on('error', () => undefined);
    const receivedAt = this.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const key = bearerKey(req.headers.authorization);
    const access = key !== undefined && Object.hasOwn(this.keys, key) ? this.keys[key] : undefined;
    const method = req.method ?? 'GET';
    const entry: RecordedRequest = {
      seq: ++this.seq,
      method,
      path: url.pathname,
      query,
      authorized: access !== undefined,
      status: 0,
      receivedAt,
      finishedAt: 0,
    };
    this.log.push(entry);
    // Counted on arrival, whatever the answer turns out to be.
    const rate = access !== undefined && this.limiter ? this.limiter.hit(key as string, receivedAt) : undefined;

    const fault = this.takeFault(url.pathname, query.page);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'hang') return; // entry keeps status 0: nothing was ever answered

    const asked: Asked = { method, path: url.pathname, query, access, rate };
    let answer: Answer;
    try {
      answer = fault ? this.faultAnswer(fault, asked) : this.route(asked);
    } catch (err) {
      answer = errorAnswer(500, `simulator error: ${(err as Error).message}`, rate?.headers ?? {});
    }
    if (answer.fault) entry.fault = answer.fault;
    const slowMs = fault?.kind === 'slow-body' ? fault.delayMs : undefined;
    this.later(this.options.latencyMs ?? 0, () => this.send(res, entry, answer, slowMs));
  }

  private faultAnswer(fault: Exclude<Fault, { kind: 'hang' }>, asked: Asked): Answer {
    const rh = asked.rate?.headers ?? {};
    switch (fault.kind) {
      case 'status': {
        if (fault.status === 429) {
          const extra: Record<string, string> =
            fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {};
          return errorAnswer(429, DEFAULT_MESSAGES[429], { ...rh, ...extra });
        }
        return errorAnswer(fault.status, fault.message ?? DEFAULT_MESSAGES[fault.status], rh);
      }
      case 'html-502':
        return html502();
      case 'slow-body':
        return this.route(asked);
      case 'huge-body': {
        const normal = this.route(asked);
        const pad = Math.max(0, fault.bytes - Buffer.byteLength(normal.body));
        return { ...normal, body: normal.body + ' '.repeat(pad), chunked: fault.contentLength === false };
      }
      case 'malformed-json': {
        const normal = this.route(asked);
        // Cut before the end so the body can never parse.
        const cut = Math.max(1, Math.floor(normal.body.length / 2));
        return jsonAnswer(200, normal.body.slice(0, Math.min(cut, normal.body.length - 1)) || '{', rh);
      }
    }
  }

  private route({ method, path, query, access, rate }: Asked): Answer {
    const rh = rate?.headers ?? {};
    const known =
      path === LIST_PATH ||
      path === AGENTS_PATH ||
      path === FOLDERS_PATH ||
      path === PRICING_PATH ||
      path === CALLS_PATH;
    if (method !== 'GET' || !known) return errorAnswer(404, `Cannot ${method} ${path}`, rh);
    if (access === undefined) return errorAnswer(401, DEFAULT_MESSAGES[401], {});
    if (rate?.limited) return errorAnswer(429, DEFAULT_MESSAGES[429], { ...rh, 'Retry-After': rate.retryAfter ?? '1' });

    if (path === AGENTS_PATH) {
      if (access === 'no-agents') return errorAnswer(403, 'This API key cannot read agents', rh);
      return jsonAnswer(200, JSON.stringify({ agents: this.agents.map(withRequiredAgentFields) }), rh);
    }
    if (path === FOLDERS_PATH) return this.foldersAnswer(query, access, rh);
    if (path === PRICING_PATH) return jsonAnswer(200, JSON.stringify(this.options.pricing ?? []), rh);
    if (path === CALLS_PATH) {
      if (access === 'no-calls') return errorAnswer(403, 'This API key cannot read calls', rh);
      const calls = parseCallsQuery(query);
      if (!calls.ok) return errorAnswer(400, calls.messages, rh);
      return jsonAnswer(200, JSON.stringify(callsBody(this.calls, calls.value)), rh);
    }

    if (access === 'no-phone-numbers') return errorAnswer(403, 'This API key cannot read phone numbers', rh);
    const parsed = parseListQuery(query, this.options.maxLimit ?? 100);
    if (!parsed.ok) return errorAnswer(400, parsed.messages, rh);
    const injected = this.randomFault(rh);
    if (injected) return injected;
    const body = JSON.stringify(
      pageBody(this.records, parsed.value, this.options.envelope ?? 'data-meta', {
        ignorePage: this.options.ignorePage === true,
        ignoreFilters: this.options.ignoreFilters === true,
      }),
    );
    this.runHooks(parsed.value.page);
    return jsonAnswer(200, body, rh);
  }

  /** `{ folders, page, limit }`, at most FOLDERS_MAX_LIMIT a page; no total (a short page ends the list). */
  private foldersAnswer(query: Record<string, string>, access: Access, rh: Record<string, string>): Answer {
    if (access === 'no-agents' || access === 'no-folders')
      return errorAnswer(403, 'This API key cannot read folders', rh);
    const parsed = parseListQuery(query, FOLDERS_MAX_LIMIT);
    if (!parsed.ok) return errorAnswer(400, parsed.messages, rh);
    const { page, limit } = parsed.value;
    const folders = this.folders.slice((page - 1) * limit, page * limit).map(withRequiredFolderFields);
    return jsonAnswer(200, JSON.stringify({ folders, page, limit }), rh);
  }

  /** Two draws per list request whatever the outcome, so a seed replays the same fault sequence. */
  private randomFault(rh: Record<string, string>): Answer | undefined {
    const cfg = this.options.randomFaults;
    if (!cfg || !this.random) return undefined;
    const roll = this.random();
    const which = this.random();
    if (roll < cfg.rate429)
      return { ...errorAnswer(429, DEFAULT_MESSAGES[429], { ...rh, 'Retry-After': '1' }), fault: 'status' };
    if (roll < cfg.rate429 + cfg.rate5xx) {
      const status = [500, 502, 503][Math.floor(which * 3)];
      if (status === 502) return html502();
      return { ...errorAnswer(status, DEFAULT_MESSAGES[status], rh), fault: 'status' };
    }
    return undefined;
  }

  private runHooks(page: number): void {
    const due = this.hooks.filter((h) => h.page === page);
    if (due.length === 0) return;
    for (const h of due) this.hooks.splice(this.hooks.indexOf(h), 1);
    for (const h of due) h.hook();
  }

  private takeFault(path: string, rawPage: string | undefined): Fault | undefined {
    const page = rawPage === undefined ? 1 : Number(rawPage);
    const i = this.faults.findIndex(
      ({ match }) => (match?.path ?? LIST_PATH) === path && (match?.page === undefined || match.page === page),
    );
    return i < 0 ? undefined : this.faults.splice(i, 1)[0].fault;
  }

  private send(res: http.ServerResponse, entry: RecordedRequest, answer: Answer, slowMs: number | undefined): void {
    if (res.destroyed || this.closing) return;
    const buf = Buffer.from(answer.body, 'utf8');
    const headers = answer.chunked ? answer.headers : { ...answer.headers, 'Content-Length': String(buf.length) };
    entry.status = answer.status;
    if (answer.chunked) {
      entry.finishedAt = this.now();
      res.writeHead(answer.status, headers);
      // A write after writeHead without Content-Length goes out chunked.
      res.write(buf);
      res.end();
      return;
    }
    if (slowMs === undefined) {
      entry.finishedAt = this.now();
      res.writeHead(answer.status, headers);
      res.end(buf);
      return;
    }
    const half = Math.floor(buf.length / 2);
    res.writeHead(answer.status, headers);
    res.write(buf.subarray(0, half));
    this.later(slowMs, () => {
      if (res.destroyed) return;
      entry.finishedAt = this.now();
      res.end(buf.subarray(half));
    });
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorServer(options);
  await sim.listen();
  return sim;
}
