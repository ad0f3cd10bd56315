// The pages of one listing pass: what each page added, where the list ends, and why paging
// stopped early. Plain state, no I/O: the fetching loops in listing.ts feed it.
import type { NumberRecord } from '../../core/types';
import { type PageEnvelope, toNumberRecord } from './schema';

export const fmt = (n: number) => n.toLocaleString('en-US');

export interface InvalidRecord {
  page: number;
  index: number;
  id: string | null;
  problem: string;
}

export interface PassResult {
  records: NumberRecord[];
  invalid: InvalidRecord[];
  /** Every total the API reported during the pass, in order of arrival. */
  totals: number[];
  /** Distinct ids seen, valid or not, plus records without any id. */
  listedCount: number;
  /** Set when a guard stopped the pass (server ignoring `page`, too many pages). */
  stopReason: string | null;
}

export class PageCollector {
  /** The page size the server uses: ours, unless page 1 says it clamped it. */
  readonly limit: number;
  /** Pages in the list when page 1 tells (totalPages, or total / limit); null when it does not. */
  readonly pagesTotal: number | null;
  private readonly pages = new Map<number, NumberRecord[]>();
  private readonly invalid: InvalidRecord[] = [];
  private readonly totals: number[] = [];
  private readonly seen = new Set<string>();
  private anonymous = 0;
  /** A valid record came with an id already seen: result() may have repeats to drop. */
  private repeats = false;
  private ignoredPage: string | null = null;
  private maxPagesHit: string | null = null;

  constructor(first: PageEnvelope, pageSize: number) {
    this.limit = first.limit !== null && first.limit > 0 ? first.limit : pageSize;
    this.pagesTotal =
      first.totalPages !== null ? first.totalPages : first.total !== null ? Math.ceil(first.total / this.limit) : null;
  }

  /** True once a page brought nothing new: the server ignores `page`, fetching more is pointless. */
  get ignoresPage(): boolean {
    return this.ignoredPage !== null;
  }

  /** Takes one page in; returns how many ids it added. */
  record(page: number, env: PageEnvelope): number {
    const records: NumberRecord[] = [];
    let fresh = 0;
    env.rawRecords.forEach((raw, index) => {
      const result = toNumberRecord(raw);
      if (this.addId(result.ok ? result.record.id : result.id)) fresh += 1;
      else if (result.ok) this.repeats = true;
      if (result.ok) records.push(result.record);
      else this.invalid.push({ page, index, id: result.id, problem: result.problem });
    });
    this.pages.set(page, records);
    if (env.total !== null) this.totals.push(env.total);
    if (page !== 1 && env.rawRecords.length > 0 && fresh === 0) this.noteIgnoredPage(page);
    return fresh;
  }

  /** The valid records page `page` brought. */
  recordsOf(page: number): readonly NumberRecord[] {
    return this.pages.get(page) ?? [];
  }

  /** A short page, or one at or past the count the page itself gives. */
  isLast(page: number, env: PageEnvelope): boolean {
    return (
      env.rawRecords.length < this.limit ||
      (env.totalPages !== null && page >= env.totalPages) ||
      (env.total !== null && page * this.limit >= env.total)
    );
  }

  /** The last page to fetch: every page, or the first `maxPages`; null when page 1 gave no count. */
  lastPageWithin(maxPages: number): number | null {
    const total = this.pagesTotal;
    if (total === null || total <= maxPages) return total;
    this.maxPagesHit =
      `DialNexa reported ${fmt(total)} pages, more than the ${fmt(maxPages)} this client fetches ` +
      `(maxPages); only the first ${fmt(maxPages)} were listed`;
    return maxPages;
  }

  /** Paging without a count reached `maxPages` before a last page. */
  stopAtMaxPages(maxPages: number): void {
    this.maxPagesHit =
      `stopped after ${fmt(maxPages)} pages (maxPages) without reaching the end of the list; ` +
      'DialNexa may be ignoring the "page" parameter';
  }

  /** The records in page order, each id once. */
  result(): { pass: PassResult; duplicatesDropped: number } {
    const inOrder = [...this.pages.keys()].sort((a, b) => a - b).map((page) => this.pages.get(page) ?? []);
    // No valid record repeated an id: every record is kept, and no set of every id is needed.
    const { records, duplicatesDropped } = this.repeats
      ? firstOfEachId(inOrder)
      : { records: joined(inOrder), duplicatesDropped: 0 };
    const { invalid, totals } = this;
    const stopReason = this.ignoredPage ?? this.maxPagesHit;
    return { pass: { records, invalid, totals, listedCount: this.listedCount(), stopReason }, duplicatesDropped };
  }

  /** Whether the id is new in this pass; a record without an id always counts as new. */
  private addId(id: string | null): boolean {
    if (id === null) {
      this.anonymous += 1;
      return true;
    }
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }

  private listedCount(): number {
    return this.seen.size + this.anonymous;
  }

  /** The first such page explains the stop; pages already in flight may repeat it. */
  private noteIgnoredPage(page: number): void {
    if (this.ignoredPage !== null) return;
    this.ignoredPage =
      `DialNexa seems to ignore the "page" parameter: page ${fmt(page)} returned only numbers already listed ` +
      `on earlier pages, so the listing stopped after ${fmt(this.pages.size)} pages with ${fmt(this.listedCount())} numbers`;
  }
}

/** The pages' records, one after the other. */
function joined(pages: readonly (readonly NumberRecord[])[]): NumberRecord[] {
  let length = 0;
  for (const page of pages) length += page.length;
  const records = new Array<NumberRecord>(length);
  let at = 0;
  for (const page of pages) for (let i = 0; i < page.length; i++) records[at++] = page[i];
  return records;
}

/** The records in the order given, each id once (its first), and how many repeats were dropped. */
function firstOfEachId(pages: readonly (readonly NumberRecord[])[]): {
  records: NumberRecord[];
  duplicatesDropped: number;
} {
  let duplicatesDropped = 0;
  const records: NumberRecord[] = [];
  const kept = new Set<string>();
  for (const page of pages) {
    for (const record of page) {
      if (kept.has(record.id)) {
        duplicatesDropped += 1;
        continue;
      }
      kept.add(record.id);
      records.push(record);
    }
  }
  return { records, duplicatesDropped };
}
