// The DialNexa client: defaults, one rate limiter per client (the limit is per key), and the
// two reads the audit needs.
import type {
  CallLister,
  FolderLister,
  KeySource,
  ListOptions,
  Logger,
  NumberLister,
  ReadOptions,
} from '../../core/ports';
import { silentLogger } from '../../core/ports';
import type { Listing } from '../../core/types';
import { listCallsPage } from './calls';
import { forbidden } from './failures';
import { listAllFolders, type FolderSummary } from './folders';
import { listAllNumbers, type ListingSettings } from './listing';
import { DEFAULT_MAX_BODY_BYTES, fetchTransport, nodeTransport } from './http';
import { RateLimiter } from './rate-limit';
import { listPageSpan, type PageSpan } from './resumable';
import { getJson } from './request';
import { defaultSleep, type Sleep } from './run';
import { parseAgents, parseJsonBody, type AgentSummary } from './schema';
import { sideRead } from './side-read';

export interface DialNexaClientOptions {
  /** e.g. https://api.dialnexa.com (no /v1). */
  baseUrl: string;
  keySource: KeySource;
  /** Sends through this fetch instead of node:http/https (tests inject faults with it). */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  logger?: Logger;
  /** Per request, body included. Default 10 000. */
  requestTimeoutMs?: number;
  /** Attempts per request for 429/5xx/network/malformed answers. Default 6. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Pages fetched at once once the total is known. Default 8. */
  concurrency?: number;
  /** Guard against a server that never ends the list. Default 2000. */
  maxPages?: number;
  /** `limit` per page (the API allows at most 100). Default 100. */
  pageSize?: number;
  /** Largest response body read; a larger one is retried as malformed. Default 8 MB. */
  maxBodyBytes?: number;
  /**
   * Extra wait past an announced X-RateLimit-Reset before using the new window, whatever its form.
   * Default: 1000 after an epoch-timestamp reset (read on our clock, whole seconds, maybe rounded
   * down), 0 after a seconds-until-reset count (already late by the transit time).
   */
  resetMarginMs?: number;
}

export interface DialNexaClient extends NumberLister, FolderLister, CallLister {
  listAll(options?: ListOptions): Promise<Listing>;
  /** GET /v1/agents: id, current title and folder of every agent. */
  listAgents(options?: ReadOptions): Promise<AgentSummary[]>;
  /** GET /v1/organization-folders, every page: id and name of every folder. */
  listFolders(options?: ReadOptions): Promise<FolderSummary[]>;
  /** Fan-out: the pages of a listing that goes on over several invocations (resumable.ts). */
  listPages(options: Parameters<typeof listPageSpan>[1]): Promise<PageSpan>;
  readonly pageSize: number;
}

export function createDialNexaClient(options: DialNexaClientOptions): DialNexaClient {
  const now = options.now ?? Date.now;
  const settings: ListingSettings = {
    baseUrl: options.baseUrl,
    keySource: options.keySource,
    transport: options.fetch ? fetchTransport(options.fetch) : nodeTransport(),
    now,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    logger: options.logger ?? silentLogger,
    requestTimeoutMs: positive(options.requestTimeoutMs, 10_000, 'requestTimeoutMs'),
    maxAttempts: positive(options.maxAttempts, 6, 'maxAttempts'),
    baseDelayMs: nonNegative(options.baseDelayMs, 250, 'baseDelayMs'),
    maxDelayMs: nonNegative(options.maxDelayMs, 20_000, 'maxDelayMs'),
    concurrency: positive(options.concurrency, 8, 'concurrency'),
    maxPages: positive(options.maxPages, 2000, 'maxPages'),
    pageSize: positive(options.pageSize, 100, 'pageSize'),
    maxBodyBytes: positive(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes'),
    limiter: new RateLimiter({ now, resetMarginMs: optionalNonNegative(options.resetMarginMs, 'resetMarginMs') }),
  };
  new URL(settings.baseUrl); // fail at construction, not on the first page

  return {
    listAll: (listOptions) => listAllNumbers(settings, listOptions),
    listFolders: (folderOptions) => listAllFolders(settings, folderOptions),
    // Same settings, so the same limiter: calls share the key's limit with the listing.
    listCalls: (query, callOptions) => listCallsPage(settings, query, callOptions),
    listPages: (spanOptions) => listPageSpan(settings, spanOptions),
    pageSize: settings.pageSize,

    listAgents: (agentOptions = {}) =>
      sideRead(settings, agentOptions, 'listing agents', (scope) =>
        getJson(settings, scope, {
          path: '/v1/agents',
          query: {},
          what: 'the agents list',
          parse: (text) => parseAgents(parseJsonBody(text)),
          forbidden: forbidden(settings.keySource.description, 'read agents', 'read access to agents'),
        }),
      ),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be zero or more, got ${value}`);
  return value;
}

function optionalNonNegative(value: number | undefined, name: string): number | undefined {
  return value === undefined ? undefined : nonNegative(value, 0, name);
}
