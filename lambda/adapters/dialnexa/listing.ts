// Listing every number: page 1 first (it tells the total), then the remaining pages
// concurrently, or one after another when no total is given. Deduplicates by id, re-lists once
// when the count disagrees with the API's total (or, when asked, when there is no total to check it
// against), and says plainly when the result is incomplete or unverified.
import type { KeySource, ListOptions, ListProgress } from '../../core/ports';
import type { ListFilters, Listing, ListingStats, NumberRecord } from '../../core/types';
import { forbidden } from './failures';
import { KeyHolder } from './key';
import { getJson, type RequestScope, type RequestSettings } from './request';
import { Run, type Sleep } from './run';
import { fmt, PageCollector, type PassResult } from './pages';
import { parseJsonBody, parsePageEnvelope, type PageEnvelope } from './schema';
import { RequestSlots, SlotsClosedError } from './slots';

export const PHONE_NUMBERS_PATH = '/v1/organization-phone-numbers';

export interface ListingSettings extends RequestSettings {
  keySource: KeySource;
  sleep: Sleep;
  concurrency: number;
  maxPages: number;
  pageSize: number;
}

export async function listAllNumbers(settings: ListingSettings, options: ListOptions = {}): Promise<Listing> {
  const started = settings.now();
  const stats = newListingStats();
  const progress: ListProgress = { pagesFetched: 0, pagesTotal: null };
  const run = new Run({
    now: settings.now,
    sleep: settings.sleep,
    deadline: options.deadline,
    deadlineMessage: () =>
      `listing did not finish before the run's deadline: ${fmt(progress.pagesFetched)} of ` +
      `${progress.pagesTotal === null ? 'an unknown number of' : fmt(progress.pagesTotal)} pages fetched` +
      (stats.relisted ? ' while re-listing' : ''),
  });
  const scope: RequestScope = { run, keys: new KeyHolder(settings.keySource), stats };
  const ctx: PassContext = { settings, scope, options, progress, stats, handing: [] };

  try {
    const { pass, disagreement } = await listChecked(ctx);
    const reasons = incompleteReasons(pass, stats.relisted);
    if (disagreement !== null) reasons.push(disagreement);
    stats.durationMs = settings.now() - started;
    return { ...listingOf(pass, reasons, { relisted: stats.relisted, repeatable: true }), stats };
  } finally {
    run.dispose();
  }
}

/** A listing's counters before its first request. */
export function newListingStats(): ListingStats {
  return {
    pages: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
    duplicatesDropped: 0,
    relisted: false,
    durationMs: 0,
  };
}

/**
 * The Listing a checked pass makes, its `reasons` being why it is incomplete. `repeatable`: the
 * caller could have listed a second time to verify a count without a total (options.verify).
 */
export function listingOf(
  pass: PassResult,
  reasons: string[],
  { relisted, repeatable }: { relisted: boolean; repeatable: boolean },
): Omit<Listing, 'stats'> {
  const unverified = reasons.length === 0 && pass.totals.length === 0 && !relisted;
  return {
    records: pass.records,
    reportedTotal: pass.totals.length ? pass.totals[pass.totals.length - 1] : null,
    complete: reasons.length === 0,
    ...(reasons.length ? { incompleteReason: reasons.join('; also ') } : {}),
    ...(unverified
      ? {
          unverified:
            `DialNexa reported no total${repeatable ? ' and the listing was not repeated' : ''}, so nothing ` +
            `confirms that all ${fmt(pass.listedCount)} numbers were listed`,
        }
      : {}),
  };
}

/**
 * One pass, and at most one more: when the count disagrees with the reported total, or when there
 * is no total and the caller asked for the count to be verified. `disagreement` is set when two
 * listings without a total found different numbers.
 */
async function listChecked(ctx: PassContext): Promise<{ pass: PassResult; disagreement: string | null }> {
  const first = await listOnce(ctx);
  const { logger } = ctx.settings;
  if (shouldRelist(first)) {
    logger.info('DialNexa listing disagrees with the reported total; re-listing once', {
      listed: first.listedCount,
      totals: first.totals,
    });
    return { pass: await relist(ctx), disagreement: null };
  }
  if (!shouldVerify(first, ctx.options)) return { pass: first, disagreement: null };
  logger.info('DialNexa reported no total; listing a second time to verify the count', { listed: first.listedCount });
  const second = await relist(ctx);
  return { pass: second, disagreement: compareListings(first, second) };
}

async function relist(ctx: PassContext): Promise<PassResult> {
  ctx.stats.relisted = true;
  ctx.progress.pagesFetched = 0;
  ctx.progress.pagesTotal = null;
  return listOnce(ctx);
}

function shouldVerify(pass: PassResult, options: ListOptions): boolean {
  return options.verify === true && pass.stopReason === null && pass.totals.length === 0 && pass.invalid.length === 0;
}

/** Null when both listings found the same numbers; else the incomplete reason. */
export function compareListings(first: PassResult, second: PassResult): string | null {
  // A total on the second pass is checked like any other (incompleteReasons).
  if (second.totals.length > 0) return null;
  const before = new Set(first.records.map((r) => r.id));
  const after = new Set(second.records.map((r) => r.id));
  const differ = [...after].filter((id) => !before.has(id)).length + [...before].filter((id) => !after.has(id)).length;
  if (differ === 0 && first.listedCount === second.listedCount) return null;
  return (
    `DialNexa reported no total and two listings disagree (${fmt(first.listedCount)} numbers, then ` +
    `${fmt(second.listedCount)}; ${fmt(differ)} differ); numbers may have been added or removed during the run, ` +
    'or the server lists unreliably'
  );
}

export function shouldRelist(pass: PassResult): boolean {
  if (pass.stopReason !== null || pass.totals.length === 0) return false;
  return !totalsAgree(pass);
}

function totalsAgree(pass: PassResult): boolean {
  const last = pass.totals[pass.totals.length - 1];
  return pass.totals.every((t) => t === last) && pass.listedCount === last;
}

export function incompleteReasons(pass: PassResult, relisted: boolean): string[] {
  const reasons: string[] = [];
  const afterRelist = relisted ? ' (after one re-list)' : '';
  if (pass.stopReason !== null) reasons.push(pass.stopReason);
  if (pass.invalid.length) {
    const shown = pass.invalid
      .slice(0, 3)
      .map((r) => `page ${r.page} item ${r.index + 1}${r.id ? ` (id ${r.id})` : ''}: ${r.problem}`)
      .join('; ');
    const more = pass.invalid.length > 3 ? `; and ${fmt(pass.invalid.length - 3)} more` : '';
    reasons.push(
      `${fmt(pass.invalid.length)} record${pass.invalid.length === 1 ? '' : 's'} from DialNexa failed validation ` +
        `and ${pass.invalid.length === 1 ? 'is' : 'are'} missing from the report: ${shown}${more}`,
    );
  }
  if (pass.stopReason === null && pass.totals.length > 0 && !totalsAgree(pass)) {
    const last = pass.totals[pass.totals.length - 1];
    const distinct = [...new Set(pass.totals)];
    reasons.push(
      pass.listedCount !== last
        ? `listed ${fmt(pass.listedCount)} unique numbers but the API reported ${fmt(last)}${afterRelist}; ` +
            'numbers may have been added or removed during the run'
        : `the API's reported total changed while listing (${distinct.map(fmt).join(' -> ')})${afterRelist}; ` +
            'numbers were added or removed during the run',
    );
  }
  return reasons;
}

/** One pass's context: the operation's settings and scope, and the counters both passes share. */
interface PassContext {
  settings: ListingSettings;
  scope: RequestScope;
  options: ListOptions;
  progress: ListProgress;
  stats: ListingStats;
  /** Pages handed to options.onRecords, each in a later turn than the one that read it. */
  handing: Promise<void>[];
}

/** Page 1 first (it tells the count), then the rest concurrently, or in order when no count is given. */
async function listOnce(ctx: PassContext): Promise<PassResult> {
  const first = await fetchPage(ctx, 1);
  const pages = new PageCollector(first, ctx.settings.pageSize);
  ctx.progress.pagesTotal = pages.pagesTotal;
  takeIn(ctx, pages, 1, first);
  if (!pages.isLast(1, first)) {
    const last = pages.lastPageWithin(ctx.settings.maxPages);
    if (last === null) await fetchSequentially(ctx, pages);
    else await fetchConcurrently(ctx, pages, last);
  }
  await Promise.all(ctx.handing.splice(0));
  const { pass, duplicatesDropped } = pages.result();
  ctx.stats.duplicatesDropped += duplicatesDropped;
  return pass;
}

async function fetchConcurrently(ctx: PassContext, pages: PageCollector, last: number): Promise<void> {
  // Requests in flight stay at `concurrency`; twice as many workers let one page's request go out
  // while another worker parses its answer.
  const slots = new RequestSlots(ctx.settings.concurrency, ctx.scope.run.signal);
  await forEachConcurrently(
    { from: 2, to: last, concurrency: 2 * slots.size, run: ctx.scope.run, more: () => !pages.ignoresPage },
    async (page) => {
      let env: PageEnvelope;
      try {
        env = await fetchPage(ctx, page, slots);
      } catch (error) {
        // The pool stopped wanting pages (below) while this page waited for a place: it was not sent,
        // or a malformed answer of it is not asked for again.
        if (error instanceof SlotsClosedError) return;
        throw error;
      }
      takeIn(ctx, pages, page, env);
      // The server ignores `page`: the pages already waiting for a place are not sent either.
      if (pages.ignoresPage) slots.close();
    },
  );
}

async function fetchSequentially(ctx: PassContext, pages: PageCollector): Promise<void> {
  for (let page = 2; ; page++) {
    if (page > ctx.settings.maxPages) return pages.stopAtMaxPages(ctx.settings.maxPages);
    const env = await fetchPage(ctx, page);
    takeIn(ctx, pages, page, env);
    if (pages.ignoresPage || pages.isLast(page, env)) return;
  }
}

interface PoolOptions {
  from: number;
  to: number;
  concurrency: number;
  /** Failed with the first error, which stops every request and wait still going. */
  run: Run;
  /** Checked before each new start. */
  more: () => boolean;
}

/** `task` for each of from..to in order of start, at most `concurrency` at once; throws the first failure. */
async function forEachConcurrently(
  { from, to, concurrency, run, more }: PoolOptions,
  task: (n: number) => Promise<void>,
): Promise<void> {
  const state = { next: from, failure: null as { error: unknown } | null };
  const worker = async () => {
    while (more() && state.failure === null && state.next <= to) {
      const n = state.next++;
      try {
        await task(n);
      } catch (error) {
        // The first failure wins; the others are its echo through the aborted signal.
        if (state.failure === null) state.failure = { error };
        run.fail(error);
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, to - from + 1));
  await Promise.all(Array.from({ length: workers }, worker));
  if (state.failure !== null) throw state.failure.error;
}

export function fetchPage(
  { settings, scope, options }: Pick<PassContext, 'settings' | 'scope' | 'options'>,
  page: number,
  slots?: RequestSlots,
): Promise<PageEnvelope> {
  return getJson(settings, scope, {
    slots,
    path: PHONE_NUMBERS_PATH,
    query: { page: String(page), limit: String(settings.pageSize), ...filterQuery(options.filters) },
    what: `page ${page}`,
    parse: (text) => parsePageEnvelope(parseJsonBody(text)),
    forbidden: forbidden(settings.keySource.description, 'read phone numbers', 'the phone_numbers:read scope'),
  });
}

/** Records a fetched page, then counts it and tells the caller. */
function takeIn(ctx: PassContext, pages: PageCollector, page: number, env: PageEnvelope): void {
  const { settings, options, progress, stats } = ctx;
  const fresh = pages.record(page, env);
  if (options.onRecords) handOn(ctx, options.onRecords, pages.recordsOf(page));
  stats.pages += 1;
  progress.pagesFetched += 1;
  settings.logger.debug('DialNexa page fetched', {
    page,
    records: env.rawRecords.length,
    newIds: fresh,
    pagesFetched: progress.pagesFetched,
    pagesTotal: progress.pagesTotal,
  });
  try {
    options.onProgress?.({ ...progress });
  } catch (err) {
    settings.logger.warn('onProgress callback failed', { error: String(err) });
  }
}

/**
 * Hands a page's records on in a later macrotask: the pages answered in the same turn are read
 * first, and each of their workers takes its next page, so the run's work on these records overlaps
 * the wait instead of delaying those requests (8 pages answered at once otherwise queue 8 pages of
 * work ahead of the 8th request). The hand-on is an optimization: whatever it fails to do, the run
 * does when it asks for the records.
 */
function handOn(
  ctx: PassContext,
  onRecords: (records: readonly NumberRecord[]) => void,
  records: readonly NumberRecord[],
): void {
  ctx.handing.push(
    new Promise<void>((resolve) =>
      setImmediate(() => {
        try {
          onRecords(records);
        } catch (error) {
          ctx.settings.logger.debug('onRecords failed; the run takes the records later', { error: String(error) });
        }
        resolve();
      }),
    ),
  );
}

function filterQuery(filters: ListFilters | undefined): Record<string, string | undefined> {
  return { country_code: filters?.countryCode, type: filters?.type };
}
