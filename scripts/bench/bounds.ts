// Ideal wall time of a listing: what no client could beat given the latency, the concurrency it
// allows itself and the rate the server announces. Each returns the value and the formula with
// the numbers filled in, so the printout shows how it was reached.

export interface Bound {
  ms: number;
  formula: string;
}

export interface BoundInput {
  /** Pages the listing needs: ceil(numbers / 100). */
  pages: number;
  latencyMs: number;
  /** The client's configured concurrency. */
  concurrency: number;
}

const ceil = Math.ceil;

/** Page 1 alone (it tells the total), then the rest `concurrency` at a time. */
export function concurrencyBound({ pages, latencyMs: L, concurrency: C }: BoundInput): Bound {
  const rest = Math.max(0, pages - 1);
  return { ms: L + ceil(rest / C) * L, formula: `L + ceil((P-1)/C)·L = ${L} + ceil(${rest}/${C})·${L}` };
}

/**
 * With R requests per window W: the last window cannot open before (ceil(P/R)-1)·W, and the r
 * pages left for it still need ceil(r/C) round trips. The larger of this and the concurrency
 * bound is the bound.
 */
export function rateBound(input: BoundInput, limit: number, windowMs: number): Bound {
  const { pages: P, latencyMs: L, concurrency: C } = input;
  const windows = ceil(P / limit);
  const r = P - (windows - 1) * limit;
  const byRate = (windows - 1) * windowMs + ceil(r / C) * L;
  const byConcurrency = concurrencyBound(input);
  const formula =
    `max(L + ceil((P-1)/C)·L, (ceil(P/R)-1)·W + ceil(r/C)·L) = ` +
    `max(${byConcurrency.ms}, ${windows - 1}·${windowMs} + ceil(${r}/${C})·${L})`;
  return { ms: Math.max(byConcurrency.ms, byRate), formula };
}

/**
 * Injected faults: every answer the server gave (pages plus the faults it injected, `requests`)
 * costs a round trip, and each 429 says "send nothing for Retry-After" to the key (DialNexa's
 * limit is per key). During such a pause the requests already in flight may still finish, so
 * one pause costs at least Retry-After - L. `pauseMs` is the union of the pauses (overlapping
 * 429s pause once), `pauses` how many disjoint pauses it is made of.
 */
export function faultBound(input: BoundInput & { requests: number; pauseMs: number; pauses: number }): Bound {
  const { requests: Rq, latencyMs: L, concurrency: C, pauseMs, pauses } = input;
  const work = L + ceil((Rq - 1) / C) * L;
  const wait = Math.max(0, pauseMs - pauses * L);
  return {
    ms: work + wait,
    formula: `L + ceil((Rq-1)/C)·L + (U - n·L) = ${L} + ceil(${Rq - 1}/${C})·${L} + (${Math.round(pauseMs)} - ${pauses}·${L})`,
  };
}

/** Length of the union of [start, start + length) intervals, and how many disjoint runs it has. */
export function unionOfPauses(starts: readonly number[], length: number): { ms: number; runs: number } {
  const sorted = [...starts].sort((a, b) => a - b);
  let total = 0;
  let runs = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of sorted) {
    if (s >= end) {
      runs++;
      total += length;
      end = s + length;
    } else if (s + length > end) {
      total += s + length - end;
      end = s + length;
    }
  }
  return { ms: total, runs };
}
