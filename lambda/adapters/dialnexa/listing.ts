// Listing every number: page 1 first (it tells the total), then the remaining pages
// concurrently, or one after another when no total is given. Deduplicates by id, re-lists once
// when the count disagrees with the API's total, and says plainly when the result is incomplete.
import type { KeySource, ListOptions, ListProgress } from '../../core/ports';
import type { ListFilters, Listing, ListingStats, NumberRecord } from '../../core/types';
import { forbidden } from './failures';
import { KeyHolder } from './key';
import { getJson, type RequestScope, type RequestSettings } from './request';
import { Run, type Sleep } from './run';
import { parseJsonBody, parsePageEnvelope, toNumberRecord, type PageEnvelope } from './schema';

export const PHONE_NUMBERS_PATH = '/v1/organization-phone-numbers';

export interface ListingSettings extends RequestSettings {
  keySource: KeySource;
  sleep: Sleep;
  concurrency: number;
  maxPages: number;
  pageSize: number;
}

interface InvalidRecord {
  page: number;
  index: number;
  id: string | null;
  problem: string;
}

interface PassResult {
  records: NumberRecord[];
  invalid: InvalidRecord[];
  /** Every total the API reported during the pass, in order of arrival. */
  totals: number[];
  /** Distinct ids seen, valid or not, plus records without any id. */
  listedCount: number;
  /** Set when a guard stopped the pass (server ignoring `page`, too many pages). */
  stopReason: string | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function listAllNumbers(settings: ListingSettings, options: ListOptions = {}): Promise<Listing> {
  const started = settings.now();
  const stats: ListingStats = {
    pages: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
    duplicatesDropped: 0,
    relisted: false,
    durationMs: 0,
  };
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

  try {
    let pass = await listOnce(settings, scope, options, progress, stats);
    if (shouldRelist(pass)) {
      settings.logger.info('DialNexa listing disagrees with the reported total; re-listing once', {
        listed: pass.listedCount,
        totals: pass.totals,
      });
      stats.relisted = true;
      progress.pagesFetched = 0;
      progress.pagesTotal = null;
      pass = await listOnce(settings, scope, options, progress, stats);
    }
    const reasons = incompleteReasons(pass, stats.relisted);
    stats.durationMs = settings.now() - started;
    return {
      records: pass.records,
      reportedTotal: pass.totals.length ? pass.totals[pass.totals.length - 1] : null,
      complete: reasons.length === 0,
      ...(reasons.length ? { incompleteReason: reasons.join('; also ') } : {}),
      stats,
    };
  } finally {
    run.dispose();
  }
}

function shouldRelist(pass: PassResult): boolean {
  if (pass.stopReason !== null || pass.totals.length === 0) return false;
  return !totalsAgree(pass);
}

function totalsAgree(pass: PassResult): boolean {
  const last = pass.totals[pass.totals.length - 1];
  return pass.totals.every((t) => t === last) && pass.listedCount === last;
}

function incompleteReasons(pass: PassResult, relisted: boolean): string[] {
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

async function listOnce(
  settings: ListingSettings,
  scope: RequestScope,
  options: ListOptions,
  progress: ListProgress,
  stats: ListingStats,
): Promise<PassResult> {
  const { run } = scope;
  const pages = new Map<number, NumberRecord[]>();
  const invalid: InvalidRecord[] = [];
  const totals: number[] = [];
  const seen = new Set<string>();
  let anonymous = 0;
  let stopReason: string | null = null;

  const fetchPage = (page: number) =>
    getJson(settings, scope, {
      path: PHONE_NUMBERS_PATH,
      query: { page: String(page), limit: String(settings.pageSize), ...filterQuery(options.filters) },
      what: `page ${page}`,
      parse: (text) => parsePageEnvelope(parseJsonBody(text)),
      forbidden: forbidden(settings.keySource.description, 'read phone numbers', 'the phone_numbers:read scope'),
    });

  /** Takes one page in; returns false when the page added nothing new (a server ignoring `page`). */
  const accept = (page: number, env: PageEnvelope): boolean => {
    const records: NumberRecord[] = [];
    let fresh = 0;
    env.rawRecords.forEach((raw, index) => {
      const result = toNumberRecord(raw);
      const id = result.ok ? result.record.id : result.id;
      if (id === null) {
        anonymous += 1;
        fresh += 1;
      } else if (!seen.has(id)) {
        seen.add(id);
        fresh += 1;
      }
      if (result.ok) records.push(result.record);
      else invalid.push({ page, index, id: result.id, problem: result.problem });
    });
    pages.set(page, records);
    if (env.total !== null) totals.push(env.total);
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
    return page === 1 || env.rawRecords.length === 0 || fresh > 0;
  };

  const ignoredPage = (page: number) =>
    `DialNexa seems to ignore the "page" parameter: page ${fmt(page)} returned only numbers already listed ` +
    `on earlier pages, so the listing stopped after ${fmt(progress.pagesFetched)} pages with ${fmt(seen.size + anonymous)} numbers`;

  const first = await fetchPage(1);
  const limit = first.limit !== null && first.limit > 0 ? first.limit : settings.pageSize;
  const pagesTotal =
    first.totalPages !== null ? first.totalPages : first.total !== null ? Math.ceil(first.total / limit) : null;
  progress.pagesTotal = pagesTotal;
  accept(1, first);
  const isLast = (page: number, env: PageEnvelope) =>
    env.rawRecords.length < limit ||
    (env.totalPages !== null && page >= env.totalPages) ||
    (env.total !== null && page * limit >= env.total);

  if (!isLast(1, first)) {
    if (pagesTotal !== null) {
      let last = pagesTotal;
      if (pagesTotal > settings.maxPages) {
        last = settings.maxPages;
        stopReason =
          `DialNexa reported ${fmt(pagesTotal)} pages, more than the ${fmt(settings.maxPages)} this client fetches ` +
          `(maxPages); only the first ${fmt(settings.maxPages)} were listed`;
      }
      stopReason = (await fetchConcurrently(2, last)) ?? stopReason;
    } else {
      stopReason = await fetchSequentially();
    }
  }

  async function fetchConcurrently(from: number, to: number): Promise<string | null> {
    let next = from;
    let guard: string | null = null;
    let failure: { error: unknown } | null = null;
    const worker = async () => {
      while (guard === null && failure === null && next <= to) {
        const page = next++;
        try {
          const env = await fetchPage(page);
          if (!accept(page, env) && guard === null) guard = ignoredPage(page);
        } catch (error) {
          // The first failure wins; the others are its echo through the aborted signal.
          if (failure === null) failure = { error };
          run.fail(error);
        }
      }
    };
    const workers = Math.max(1, Math.min(settings.concurrency, to - from + 1));
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure !== null) throw (failure as { error: unknown }).error;
    return guard;
  }

  async function fetchSequentially(): Promise<string | null> {
    for (let page = 2; ; page++) {
      if (page > settings.maxPages) {
        return (
          `stopped after ${fmt(settings.maxPages)} pages (maxPages) without reaching the end of the list; ` +
          'DialNexa may be ignoring the "page" parameter'
        );
      }
      const env = await fetchPage(page);
      if (!accept(page, env)) return ignoredPage(page);
      if (isLast(page, env)) return null;
    }
  }

  let duplicatesDropped = 0;
  const records: NumberRecord[] = [];
  const kept = new Set<string>();
  for (const page of [...pages.keys()].sort((a, b) => a - b)) {
    for (const record of pages.get(page) ?? []) {
      if (kept.has(record.id)) {
        duplicatesDropped += 1;
        continue;
      }
      kept.add(record.id);
      records.push(record);
    }
  }
  stats.duplicatesDropped += duplicatesDropped;
  return { records, invalid, totals, listedCount: seen.size + anonymous, stopReason };
}

function filterQuery(filters: ListFilters | undefined): Record<string, string | undefined> {
  return { country_code: filters?.countryCode, type: filters?.type };
}
