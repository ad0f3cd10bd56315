// Listing scenarios: the naive sequential loop against our client, both on a fresh simulator on
// loopback with the same latency, limit and faults.
import { createDialNexaClient } from '../../lambda/adapters/dialnexa';
import { createStaticKeySource } from '../../lambda/adapters/secrets/static-key-source';
import type { RateLimitOptions, RecordedRequest } from '../../simulator';
import { sequentialListing } from './baseline';
import { concurrencyBound, faultBound, rateBound, unionOfPauses, type Bound } from './bounds';
import { RemoteSimulator } from './sim-remote';
import { note, round } from './stats';

/**
 * The handler builds its client with the defaults (createDialNexaClient without `concurrency`);
 * the bench does the same and checks the concurrency it observes against this value.
 */
export const CLIENT_CONCURRENCY = 8;
export const PAGE_SIZE = 100;
/** The simulator's Retry-After on an injected 429 ("1"). */
const INJECTED_RETRY_AFTER_MS = 1000;
const PORTFOLIO_SEED = 6;

export interface Scenario {
  id: string;
  label: string;
  size: number;
  latencyMs: number;
  rateLimit?: RateLimitOptions;
  randomFaults?: { seed: number; rate429: number; rate5xx: number };
}

export const SCENARIOS: Scenario[] = [
  { id: '1k', label: '1k @ 100 ms', size: 1_000, latencyMs: 100 },
  { id: '10k', label: '10k @ 100 ms', size: 10_000, latencyMs: 100 },
  { id: '50k', label: '50k @ 100 ms', size: 50_000, latencyMs: 100 },
  {
    id: '10k-limit',
    label: '10k, limit 150 / 2 s announced',
    size: 10_000,
    latencyMs: 100,
    rateLimit: { limit: 150, windowMs: 2_000, resetStyle: 'seconds', announce: true },
  },
  {
    // 100 pages never fill a 150-request window, so this one makes the announced limit bind. The
    // window is 5 s, not 2 s: X-RateLimit-Reset has 1 s resolution, and against a 2 s window that
    // rounding alone would be a quarter of the bound (real windows are 60 s).
    id: '10k-limit-binding',
    label: '10k, limit 40 / 5 s announced (binding)',
    size: 10_000,
    latencyMs: 100,
    rateLimit: { limit: 40, windowMs: 5_000, resetStyle: 'seconds', announce: true },
  },
  {
    id: '10k-faults',
    label: '10k, 2% 429 + 3% 5xx (seeded)',
    size: 10_000,
    latencyMs: 100,
    randomFaults: { seed: 6, rate429: 0.02, rate5xx: 0.03 },
  },
];

export interface RunFigures {
  requests: number;
  /** 429 answers the simulator sent to this run. */
  rateLimited: number;
  /** Injected 5xx answers. */
  serverErrors: number;
  wallMs: number;
}

export interface ScenarioResult {
  id: string;
  label: string;
  size: number;
  latencyMs: number;
  pages: number;
  baseline: RunFigures;
  ours: RunFigures & { retries: number; peakInFlight: number; complete: boolean };
  speedup: number;
  bound: Bound;
  /** ours / bound */
  ratio: number;
  /** Ours against the simulator's inventory. */
  inventory: { exact: boolean; listed: number; unique: number; expected: number; missing: number; extra: number };
  baselineInventoryExact: boolean;
  /** Informational: the fault scenario's bound if Retry-After held back only the request it answered. */
  perRequestBound?: Bound;
  floors: Record<string, boolean>;
}

function figuresFromLog(log: RecordedRequest[], wallMs: number): RunFigures {
  return {
    requests: log.length,
    rateLimited: log.filter((r) => r.status === 429).length,
    serverErrors: log.filter((r) => r.status >= 500).length,
    wallMs,
  };
}

/** Most requests the simulator held at once (arrival to answer). */
function peakInFlight(log: RecordedRequest[]): number {
  const events: Array<[number, number]> = [];
  for (const r of log) {
    events.push([r.receivedAt, 1]);
    events.push([r.finishedAt || r.receivedAt, -1]);
  }
  // Answers before arrivals at the same instant: a slot freed and reused is not two in flight.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) {
    now += d;
    peak = Math.max(peak, now);
  }
  return peak;
}

function compareInventory(listedIds: readonly string[], expected: readonly string[]) {
  const want = new Set(expected);
  const got = new Set(listedIds);
  let missing = 0;
  for (const id of want) if (!got.has(id)) missing++;
  let extra = 0;
  for (const id of got) if (!want.has(id)) extra++;
  const exact = missing === 0 && extra === 0 && got.size === listedIds.length && got.size === want.size;
  return { exact, listed: listedIds.length, unique: got.size, expected: want.size, missing, extra };
}

async function runOurs(sim: { url: string; apiKey: string }) {
  const client = createDialNexaClient({ baseUrl: sim.url, keySource: createStaticKeySource(sim.apiKey) });
  const started = performance.now();
  const listing = await client.listAll();
  return { listing, wallMs: performance.now() - started };
}

async function runScenario(s: Scenario, remote: RemoteSimulator): Promise<ScenarioResult> {
  const portfolio = { seed: PORTFOLIO_SEED, size: s.size };
  const options = { latencyMs: s.latencyMs, rateLimit: s.rateLimit, randomFaults: s.randomFaults };
  const pages = Math.ceil(s.size / PAGE_SIZE);

  // A fresh simulator per run: the same rate-limit windows and the same seeded fault sequence.
  let sim = await remote.start(portfolio, options);
  const baselineRun = await sequentialListing(sim.url, sim.apiKey);
  const baselineLog = await remote.log();
  note(`  ${s.label}: baseline ${Math.round(baselineRun.wallMs)} ms`);

  sim = await remote.start(portfolio, options);
  try {
    const { listing, wallMs } = await runOurs(sim);
    const log = await remote.log();
    const expected = await remote.inventoryIds();
    const baseline = figuresFromLog(baselineLog, baselineRun.wallMs);
    const ours = {
      ...figuresFromLog(log, wallMs),
      retries: listing.stats.retries,
      peakInFlight: peakInFlight(log),
      complete: listing.complete,
    };
    const input = { pages, latencyMs: s.latencyMs, concurrency: CLIENT_CONCURRENCY };
    let bound: Bound;
    let perRequestBound: Bound | undefined;
    if (s.rateLimit) {
      bound = rateBound(input, s.rateLimit.limit, s.rateLimit.windowMs);
    } else if (s.randomFaults) {
      const starts = log.filter((r) => r.status === 429).map((r) => r.finishedAt);
      const pause = unionOfPauses(starts, INJECTED_RETRY_AFTER_MS);
      bound = faultBound({ ...input, requests: log.length, pauseMs: pause.ms, pauses: pause.runs });
      const work = concurrencyBound({ ...input, pages: log.length });
      work.formula = work.formula.replace('(P-1)', '(Rq-1)');
      // A 429'd page needs at least its own round trip, the wait and a second round trip.
      const chain = ours.rateLimited > 0 ? 2 * s.latencyMs + INJECTED_RETRY_AFTER_MS : 0;
      perRequestBound = {
        ms: Math.max(work.ms, chain),
        formula: `max(${work.formula}, 2L + Retry-After) = max(${work.ms}, ${chain})`,
      };
    } else {
      bound = concurrencyBound(input);
    }
    const inventory = compareInventory(
      listing.records.map((r) => r.id),
      expected,
    );
    const baselineInventory = compareInventory(baselineRun.ids, expected);
    const speedup = baseline.wallMs / ours.wallMs;
    const ratio = ours.wallMs / bound.ms;
    const floors: Record<string, boolean> = {
      'within 1.25x of the bound': ratio <= 1.25,
      'exact inventory': inventory.exact && ours.complete,
    };
    if (s.id === '10k') floors['>= 5x the baseline'] = speedup >= 5;
    if (s.rateLimit && s.rateLimit.announce !== false) floors['zero 429s (limit announced)'] = ours.rateLimited === 0;
    if (!baselineInventory.exact)
      note(`  warning: the baseline's own listing is not exact (${JSON.stringify(baselineInventory)})`);
    if (ours.peakInFlight > CLIENT_CONCURRENCY) {
      note(
        `  warning: ${ours.peakInFlight} requests in flight, more than the assumed concurrency ${CLIENT_CONCURRENCY}`,
      );
    }
    note(`  ${s.label}: ours ${Math.round(wallMs)} ms (bound ${bound.ms} ms)`);
    return {
      id: s.id,
      label: s.label,
      size: s.size,
      latencyMs: s.latencyMs,
      pages,
      baseline,
      ours,
      speedup: round(speedup, 2),
      bound,
      ratio: round(ratio, 3),
      inventory,
      baselineInventoryExact: baselineInventory.exact,
      ...(perRequestBound ? { perRequestBound } : {}),
      floors,
    };
  } finally {
    await remote.close();
  }
}

export async function runListingBench(filter?: (s: Scenario) => boolean): Promise<ScenarioResult[]> {
  const scenarios = SCENARIOS.filter(filter ?? (() => true));
  const remote = RemoteSimulator.spawn();
  try {
    // Warm-up (not reported): the first listing of a process pays for JIT and the HTTP agent;
    // it also makes the simulator process generate the largest portfolio once.
    const largest = Math.max(0, ...scenarios.map((s) => s.size));
    note(`listing: simulator process, ${largest.toLocaleString('en-US')}-number portfolio (seed ${PORTFOLIO_SEED})`);
    await remote.start({ seed: PORTFOLIO_SEED, size: largest }, {});
    const warm = await remote.start({ seed: PORTFOLIO_SEED, size: 2_000 }, {});
    await runOurs(warm);
    await sequentialListing(warm.url, warm.apiKey);
    await remote.close();

    const results: ScenarioResult[] = [];
    for (const s of scenarios) results.push(await runScenario(s, remote));
    return results;
  } finally {
    await remote.exit();
  }
}
