// Shared pieces for the DialNexa client tests: a fake clock whose sleep advances it, a key
// source that counts its reads, a client of a simulator on both, a logger that keeps every line,
// and simple inventories.
import { createDialNexaClient, type DialNexaClientOptions } from '../../../lambda/adapters/dialnexa';
import type { KeySource, Logger } from '../../../lambda/core/ports';
import { startSimulator } from '../../../simulator';
import type { SimRecord, Simulator, SimulatorOptions } from '../../../simulator/types';

export const START = Date.UTC(2025, 0, 6, 6, 0, 0);

/** `sleep` records the wait and moves `now` forward by it: retries run instantly but exactly. */
export function fakeClock(start = START) {
  const state = { t: start, sleeps: [] as number[] };
  return {
    state,
    sleeps: state.sleeps,
    now: () => state.t,
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.t += ms;
    },
  };
}

export interface CountingKeySource extends KeySource {
  reads: Array<{ fresh: boolean }>;
}

/** Serves `cached` on normal reads and `fresh` (default the same) on `fresh: true` reads. */
export function keySource(
  cached: string,
  fresh: string = cached,
  description = 'secret "test/dialnexa"',
): CountingKeySource {
  const reads: Array<{ fresh: boolean }> = [];
  return {
    description,
    reads,
    async getKey(options) {
      reads.push({ fresh: options?.fresh === true });
      return options?.fresh ? fresh : cached;
    },
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  extra?: Record<string, unknown>;
}

export function recordingLogger(): Logger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, extra?: Record<string, unknown>) => {
    lines.push({ level, message, extra });
  };
  return {
    lines,
    text: () => lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.extra ?? {})}`).join('\n'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** `count` canonical US numbers with ids phn_0000.. in order. */
export function numbers(count: number, from = 0): SimRecord[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: `phn_${String(i).padStart(4, '0')}`,
      phone_number: `+1415555${String(i).padStart(4, '0')}`,
      country_code: 'US',
      type: 'local',
      status: 'active',
      inbound_agent_id: 'agt_1',
    };
  });
}

/** Page numbers of the list requests the simulator saw, in order. */
export function listPages(requests: ReadonlyArray<{ path: string; query: Record<string, string> }>): number[] {
  return requests.filter((r) => r.path === '/v1/organization-phone-numbers').map((r) => Number(r.query.page));
}

/** A fetch that rewrites each JSON page body (to play a server that omits or misstates totals). */
export function rewritingFetch(rewrite: (body: Record<string, unknown>) => void): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const text = await res.text();
    if (res.status !== 200) return new Response(text, { status: res.status, headers: res.headers });
    const body = JSON.parse(text) as Record<string, unknown>;
    rewrite(body);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: 200, headers });
  };
}

/** Insert at the front, as a newest-first server would: later pages shift by one. */
export function insertFirst(
  sim: { inventory(): SimRecord[]; remove(...ids: string[]): void; add(...r: SimRecord[]): void },
  rec: SimRecord,
): void {
  const all = sim.inventory();
  sim.remove(...all.map((r) => r.id));
  sim.add(rec, ...all);
}

/** A `start(options)` for the calling test file; each test's simulator is closed after it. */
export function simulatorPerTest(): (options: SimulatorOptions) => Promise<Simulator> {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return async (options) => (sim = await startSimulator(options));
}

/** A client of `s` on a fresh fake clock and a counting key source; `random` pinned to 1 so every wait is exact. */
export function clientFor(s: Simulator, options: Partial<DialNexaClientOptions> = {}) {
  const clock = fakeClock();
  const keys = keySource(s.apiKey);
  const client = createDialNexaClient({
    baseUrl: s.url,
    keySource: keys,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 1,
    ...options,
  });
  return { client, clock, keys };
}
