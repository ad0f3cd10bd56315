// The usage check (numbers nobody calls) for 10k numbers over a 30-day window, listing first,
// under one announced limit shared by both: requests used and wall time against the bound, and
// what that makes at DialNexa's observed 150 requests / 60 s against the function's time.
import { createDialNexaClient } from '../../lambda/adapters/dialnexa';
import { createStaticKeySource } from '../../lambda/adapters/secrets/static-key-source';
import { normalizeAll } from '../../lambda/core/normalize';
import {
  checkUsage,
  DEFAULT_USAGE_REQUEST_BUDGET,
  DEFAULT_USAGE_WINDOW_DAYS,
  PROBE_CONCURRENCY,
} from '../../lambda/core/usage';
import { SETTINGS } from '../../lambda/settings';
import { generateCallHistory, generatePortfolio, startSimulator } from '../../simulator';
import { note } from './stats';

/** The limit as observed (150 a window), with the window cut from 60 s to 2 s so the bench runs in seconds. */
const LIMIT = 150;
const BENCH_WINDOW_MS = 2_000;
const REAL_WINDOW_MS = 60_000;
const LATENCY_MS = 50;
const SIZE = 10_000;

export interface UsageScenario {
  id: string;
  label: string;
  /** Calls per used number in the window, at most: how busy the workspace is. */
  maxCallsPerNumber: number;
}

export const USAGE_SCENARIOS: UsageScenario[] = [
  { id: 'usage-10k', label: '10k, 30 days, light traffic (~35k calls)', maxCallsPerNumber: 6 },
  { id: 'usage-10k-busy', label: '10k, 30 days, busy (~165k calls: the sweep budget runs out)', maxCallsPerNumber: 40 },
];

export interface UsageResult {
  id: string;
  label: string;
  calls: number;
  listingRequests: number;
  usageRequests: number;
  sweepPages: number;
  rateLimited: number;
  idle: number;
  unknown: number;
  wallMs: number;
  /** The larger of the windows the requests need at LIMIT per BENCH_WINDOW_MS and the round trips in a row. */
  boundMs: number;
  /** The same requests at 150 / 60 s, against the default function's time less its margin. */
  projectedSeconds: number;
  availableSeconds: number;
}

async function runScenario(s: UsageScenario): Promise<UsageResult> {
  const now = Date.now();
  const numbers = generatePortfolio({ seed: 13, size: SIZE });
  const calls = generateCallHistory(numbers, { seed: 13, now, maxCallsPerNumber: s.maxCallsPerNumber });
  const sim = await startSimulator({
    numbers,
    calls,
    latencyMs: LATENCY_MS,
    rateLimit: { limit: LIMIT, windowMs: BENCH_WINDOW_MS, resetStyle: 'seconds', announce: true },
  });
  try {
    const client = createDialNexaClient({ baseUrl: sim.url, keySource: createStaticKeySource(sim.apiKey, 'bench') });
    const started = performance.now();
    const listing = await client.listAll();
    const usage = await checkUsage(normalizeAll(listing.records), client, {
      windowDays: DEFAULT_USAGE_WINDOW_DAYS,
      budget: DEFAULT_USAGE_REQUEST_BUDGET,
      now: new Date(),
    });
    const wallMs = performance.now() - started;
    const total = sim.requests.length;
    const windows = Math.ceil(total / LIMIT);
    const callsAsked = sim.requests.filter((r) => r.path === '/v1/calls');
    const sweepPages = callsAsked.filter((r) => r.query.to === undefined && r.query.from === undefined).length;
    const probes = callsAsked.length - sweepPages;
    // Round trips no client with this design avoids: the listing (8 at once), the sweep (one page
    // after another) and the probes (PROBE_CONCURRENCY at once).
    const chainMs =
      LATENCY_MS *
      (1 + Math.ceil((listing.stats.requests - 1) / 8) + sweepPages + Math.ceil(probes / PROBE_CONCURRENCY));
    const available = SETTINGS.functionTimeoutSeconds.default - SETTINGS.runDeadlineMarginSeconds.default;
    return {
      id: s.id,
      label: s.label,
      calls: calls.length,
      listingRequests: listing.stats.requests,
      usageRequests: usage.requests,
      rateLimited: sim.requests.filter((r) => r.status === 429).length,
      idle: usage.idle.length,
      unknown: usage.unknownCount,
      wallMs: Math.round(wallMs),
      boundMs: Math.max((windows - 1) * BENCH_WINDOW_MS, chainMs),
      sweepPages,
      projectedSeconds: ((windows - 1) * REAL_WINDOW_MS) / 1000,
      availableSeconds: available,
    };
  } finally {
    await sim.close();
  }
}

export async function runUsageBench(): Promise<UsageResult[]> {
  const out: UsageResult[] = [];
  for (const s of USAGE_SCENARIOS) {
    note(`usage: ${s.label}`);
    out.push(await runScenario(s));
  }
  return out;
}

export function usageText(results: readonly UsageResult[]): string {
  const lines = [
    `Usage check (numbers nobody calls): listing + GET /v1/calls under one announced limit of ${LIMIT} / ${BENCH_WINDOW_MS / 1000} s, ${LATENCY_MS} ms latency, budget ${DEFAULT_USAGE_REQUEST_BUDGET}`,
  ];
  for (const r of results) {
    lines.push(
      `  ${r.label}: ${r.listingRequests} listing + ${r.usageRequests} calls requests (${r.sweepPages} sweep pages), ${r.rateLimited} x 429, ` +
        `${r.idle} idle, ${r.unknown} unknown; wall ${(r.wallMs / 1000).toFixed(1)} s vs bound ${(r.boundMs / 1000).toFixed(1)} s ` +
        `(${(r.wallMs / Math.max(1, r.boundMs)).toFixed(2)}x); at 150 / 60 s: ${r.projectedSeconds} s of ${r.availableSeconds} s`,
    );
  }
  return lines.join('\n');
}

/** Each scenario: no 429 under the announced limit, and inside the function's time at the real limit. */
export function usageFloors(results: readonly UsageResult[]): Array<{ floor: string; ok: boolean; where: string }> {
  return results.flatMap((r) => [
    { floor: 'no 429 with the limit announced', ok: r.rateLimited === 0, where: r.id },
    {
      floor: 'listing + usage fit the function at 150 / 60 s',
      ok: r.projectedSeconds <= r.availableSeconds,
      where: r.id,
    },
  ]);
}
