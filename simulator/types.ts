// The DialNexa simulator's public surface. Tests, the demo and the benchmark code against this;
// `server.ts` implements it. The simulator is a real HTTP server on 127.0.0.1 (port 0) and is
// never part of the Lambda bundle.

/** A phone-number record exactly as the simulator serves it (any documented field variant). */
export type SimRecord = { id: string; phone_number: string } & Record<string, unknown>;

/** The agent types DialNexa's contract allows; `agent_type` is required on every agent. */
export const AGENT_TYPES = ['Single_Prompt_Agent', 'Conversational_Flow_Agent'] as const;

/** A call as the simulator serves it: `id`, then any of the spellings the API's examples use. */
export type SimCall = { id: string } & Record<string, unknown>;

export interface SimAgent {
  id: string;
  agent_type?: (typeof AGENT_TYPES)[number];
  current_version: { title: string } & Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * A folder of agents (GET /v1/organization-folders). The contract requires id, organization_id,
 * name (at most 35 characters), is_deleted, created_at and updated_at; a test may give fewer.
 */
export interface SimFolder {
  id: string;
  name: string;
  [k: string]: unknown;
}

/** Largest page of GET /v1/organization-folders. */
export const FOLDERS_MAX_LIMIT = 50;

/**
 * `data-meta`:  { data: [...], meta: { page, limit, total, totalPages } }   (the docs)
 * `items-total`: { items: [...], total, page, limit }                       (the OpenAPI contract)
 */
export type Envelope = 'data-meta' | 'items-total';

export interface RateLimitOptions {
  /** Requests allowed per window, per API key. */
  limit: number;
  windowMs: number;
  /** How X-RateLimit-Reset is written: seconds until reset (observed) or a Unix timestamp (documented). */
  resetStyle?: 'seconds' | 'epoch';
  /** How Retry-After is written on a 429. */
  retryAfterStyle?: 'seconds' | 'http-date';
  /** When false, no X-RateLimit-* headers are sent (a limit is still enforced). Default true. */
  announce?: boolean;
  /**
   * How X-RateLimit-Reset rounds to whole seconds. `up` (default) never announces a reset before
   * the window ends; `down` announces up to a second early, as some servers do.
   */
  resetRounding?: 'up' | 'down';
}

/** A scripted fault, served instead of the normal answer to one matching request. */
export type Fault =
  | { kind: 'status'; status: 429; retryAfter?: string }
  | { kind: 'status'; status: 401 | 403 | 404 | 400 | 500 | 503 | 504; message?: string }
  | { kind: 'html-502' }
  | { kind: 'hang' } // headers never sent; the connection stays open until the client gives up
  | { kind: 'slow-body'; delayMs: number } // headers and half the body sent, the rest after delayMs
  | { kind: 'malformed-json' } // 200 with a truncated JSON body
  /**
   * The normal answer padded with trailing spaces to `bytes` (still valid JSON). `contentLength:
   * false` streams it chunked, with no Content-Length to judge it by. Default true.
   */
  | { kind: 'huge-body'; bytes: number; contentLength?: boolean };

export interface FaultMatch {
  /** Only requests for this page (default: any page). */
  page?: number;
  /** Only requests to this path (default: /v1/organization-phone-numbers). */
  path?: string;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The Authorization header was `Bearer <a known key>`. The key itself is never recorded. */
  authorized: boolean;
  status: number;
  /** Epoch ms (simulator clock) when the request arrived / when the answer was finished. */
  receivedAt: number;
  finishedAt: number;
  fault?: Fault['kind'];
}

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Inventory served; default empty. */
  numbers?: SimRecord[];
  agents?: SimAgent[];
  /** Agent folders, paged at most FOLDERS_MAX_LIMIT at a time. */
  folders?: SimFolder[];
  /** Call history for GET /v1/calls (see generateCallHistory); default none. */
  calls?: SimCall[];
  envelope?: Envelope;
  /** Valid keys and what they may read. Default: { 'dnx_test_simulator_key': 'full' }. */
  keys?: Record<string, 'full' | 'no-phone-numbers' | 'no-agents' | 'no-folders' | 'no-calls'>;
  /** Added before every answer. */
  latencyMs?: number;
  rateLimit?: RateLimitOptions;
  /** Serve page 1 whatever `page` says (a broken server). */
  ignorePage?: boolean;
  /**
   * Serve every number whatever `country_code` and `type` say: the published contract of the list
   * operation declares only `page` and `limit`, so a server may ignore the filters.
   */
  ignoreFilters?: boolean;
  /** Largest `limit` honoured (larger ones are clamped). Default 100. */
  maxLimit?: number;
  /** Random 429/5xx injection (seeded), for the benchmark's fault scenario. */
  randomFaults?: { seed: number; rate429: number; rate5xx: number };
  /** Monthly pricing rows for GET /v1/phone-number-pricing. */
  pricing?: Array<Record<string, unknown>>;
  /** Clock (epoch ms) for recorded times and rate-limit windows; default Date.now. Latency uses real timers. */
  now?: () => number;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** A key the simulator accepts with full access (the first `full` key of `keys`). */
  readonly apiKey: string;
  /** Every request served, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Current inventory (live: changes made with add/remove show here). */
  inventory(): SimRecord[];
  add(...records: SimRecord[]): void;
  remove(...ids: string[]): void;
  /** Replace fields of one record (e.g. route or unroute it). */
  update(id: string, patch: Record<string, unknown>): void;
  setAgents(agents: SimAgent[]): void;
  setFolders(folders: SimFolder[]): void;
  /** Queue faults; each is used once, by the next request that matches, in order. */
  enqueueFault(fault: Fault, match?: FaultMatch): void;
  /**
   * Run `hook` after the answer to a matching list request has been computed (before it is sent),
   * e.g. to insert or delete numbers between pages.
   */
  afterPage(page: number, hook: () => void): void;
  /** Forget recorded requests (and the rate-limit windows). */
  resetLog(): void;
  close(): Promise<void>;
}

export interface PortfolioOptions {
  seed: number;
  size: number;
  /** Share of active numbers with no agent (default 0.03). */
  unroutedRatio?: number;
  /** Share of pending / expired numbers (default 0.02). */
  notActiveRatio?: number;
  /** Share with monthly_cost_usd (a string) present (default 0.6). */
  costRatio?: number;
  /**
   * `mixed` (default) uses every documented field variant across the records: inbound_agent_id vs
   * agent_id, empty-string agent, absent country_code, each type spelling, absent type,
   * rental_status, label vs nickname, unknown extra fields. `canonical` uses one clean shape.
   */
  variants?: 'mixed' | 'canonical';
  /** Agent ids to route to; default a generated set (returned by generateAgents). */
  agentIds?: string[];
}
