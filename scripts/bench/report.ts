// Turns the measured figures into the console report and the README's Performance section.
import type { ColdStartResult } from './cold-start';
import { lambdaNodeFlags, type ComputeResult } from './compute';
import type { EndToEndResult } from './end-to-end';
import type { ScenarioResult } from './listing';
import { CLIENT_CONCURRENCY } from './listing';
import type { MachineInfo } from './machine';
import { DEFAULTS } from '../../lib/config';
import { rateBound } from './bounds';
import { count, kb, mark, mb, ms } from './stats';

export interface BenchResult {
  machine: MachineInfo;
  listing?: ScenarioResult[];
  compute?: ComputeResult;
  coldStart?: ColdStartResult;
  endToEnd?: EndToEndResult;
  floors: Array<{ floor: string; ok: boolean; where: string }>;
  wallMs: number;
}

/** DialNexa's observed limit (150 requests per 60 s per key), for the projection. */
export const OBSERVED_LIMIT = { limit: 150, windowMs: 60_000 };

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const x = (v: number) => `${v.toFixed(1)}x`;
const r2 = (v: number) => v.toFixed(2);

export function collectFloors(res: Omit<BenchResult, 'floors' | 'wallMs'>): BenchResult['floors'] {
  const out: BenchResult['floors'] = [];
  for (const s of res.listing ?? [])
    for (const [floor, ok] of Object.entries(s.floors)) out.push({ floor, ok, where: s.label });
  for (const [floor, ok] of Object.entries(res.compute?.floors ?? {})) out.push({ floor, ok, where: 'compute' });
  for (const [floor, ok] of Object.entries(res.coldStart?.floors ?? {}))
    out.push({ floor, ok, where: 'cold start (minified, as deployed)' });
  for (const [floor, ok] of Object.entries(res.endToEnd?.floors ?? {})) out.push({ floor, ok, where: 'end to end' });
  return out;
}

export function listingTable(list: ScenarioResult[]): string {
  return table(
    [
      'Scenario',
      'Requests (baseline / ours)',
      '429s (baseline / ours)',
      'Baseline',
      'Ours',
      'Speed-up',
      'Ideal bound',
      'Ours / bound',
      'Floors',
    ],
    list.map((s) => [
      s.label,
      `${count(s.baseline.requests)} / ${count(s.ours.requests)}`,
      `${s.baseline.rateLimited} / ${s.ours.rateLimited}`,
      ms(s.baseline.wallMs),
      ms(s.ours.wallMs),
      x(s.speedup),
      ms(s.bound.ms),
      r2(s.ratio),
      Object.entries(s.floors)
        .map(([f, ok]) => `${mark(ok)} ${f}`)
        .join('<br>'),
    ]),
  );
}

export function boundFormulas(list: ScenarioResult[]): string[] {
  const lines = list.map((s) => `- ${s.label}: ${s.bound.formula} = ${count(s.bound.ms)} ms`);
  const f = list.find((s) => s.perRequestBound);
  if (f?.perRequestBound) {
    lines.push(
      `- (${f.label}, if Retry-After held back only the request it answered: ${f.perRequestBound.formula} = ` +
        `${count(f.perRequestBound.ms)} ms; ours / that = ${r2(f.ours.wallMs / f.perRequestBound.ms)})`,
    );
  }
  return lines;
}

export function computeTable(c: ComputeResult): string {
  const peak = (b: number | null) => (b === null ? 'n/a' : mb(b));
  return table(
    [
      `${count(c.numbers)} numbers`,
      'Median',
      'Runs',
      'Fresh process: one run',
      'Peak RSS (process)',
      'RSS with the listing loaded',
    ],
    [
      [
        'normalize + audit + render (HTML, text, CSV) + MIME',
        ms(c.medianMs),
        c.runsMs.map((v) => count(v)).join(', '),
        ms(c.child.ms),
        peak(c.child.maxRssBytes),
        peak(c.child.rssBeforeBytes),
      ],
      [
        "… plus history (this week's snapshot drafted and compared with last week's, archive files rendered)",
        ms(c.withHistory.medianMs),
        c.withHistory.runsMs.map((v) => count(v)).join(', '),
        ms(c.withHistory.child.ms),
        peak(c.withHistory.child.maxRssBytes),
        peak(c.withHistory.child.rssBeforeBytes),
      ],
    ],
  );
}

export function computeParts(c: ComputeResult): string {
  const p = c.partsMs;
  const h = c.withHistory.partsMs;
  return (
    `Where the median run goes: normalize (and sort) ${ms(p.normalize)}, audit ${ms(p.audit)}, ` +
    `email build ${ms(p.email)} (MIME; the ${mb(c.csvBytes)} CSV went as ${c.attachment}, message ${mb(c.rawBytes)}), ` +
    `render and the rest ${ms(p.renderAndRest)}. With history the run also writes this week's snapshot file (${ms(h.draft)}), ` +
    `compares last week's file with it number by number, decoding only the numbers whose bytes differ (${ms(h.diff)}), ` +
    `and writes ${mb(c.withHistory.archivedBytes)} of archive files; each timed alone on the same data. ` +
    `Reference on the same data in the same process as the runs: JSON.parse of the raw pages and JSON.stringify of the records take ${ms(c.referenceMs)} ` +
    `(runs ${c.referenceRunsMs.map((v) => count(v)).join(', ')}), so the run with history is ${x(c.historyRatio)} of it. ` +
    "The timed runs are one esbuild bundle of the pipeline, built with the options of the function's bundle, in a child process, and the fresh-process runs (peak RSS) the same bundle, each run with --enable-source-maps as the Lambda runs."
  );
}

export function endToEndTable(e: EndToEndResult): string {
  const p = e.median.phasesMs;
  return table(
    [
      `${count(e.numbers)} numbers @ ${e.latencyMs} ms`,
      'Sequential loop',
      'number-audit (median)',
      'Runs',
      'Speed-up',
      'Ideal bound',
      'Ours beyond the bound',
      'Start-up',
      'Listing',
      'Normalize, audit, render',
      'Email (MIME)',
      'Write',
    ],
    [
      [
        'number-audit --json --out DIR (built bin, child process)',
        ms(e.baselineMs),
        ms(e.median.wallMs),
        e.runs.map((r) => count(r.wallMs)).join(', '),
        x(e.speedup),
        ms(e.bound.ms),
        ms(e.overheadMs),
        ms(p['start-up']),
        ms(p.listing),
        ms(p['normalize/audit/render']),
        ms(p.email),
        ms(p.write),
      ],
    ],
  );
}

export function endToEndNotes(e: EndToEndResult): string[] {
  const s = e.start;
  return [
    `Ideal bound: ${e.bound.formula} = ${count(e.bound.ms)} ms (${e.pages} pages). Phases are the CLI's own --verbose timings of the median run; start-up counts from the process's start, so it includes Node's own.`,
    `CLI start (\`number-audit --help\`, median of ${s.binRunsMs.length}): ${ms(s.binHelpMs)} against ${ms(s.nodeMs)} for a bare \`node -e 0\`, so ${ms(s.overMs)} is ours. Source maps ${e.sourceMaps}.`,
  ];
}

/** The three builds against each other, in words. */
export function coldStartComparison(c: ColdStartResult): string {
  const by = (id: string) => c.bundles.find((b) => b.id === id);
  const min = by('minified');
  const unmin = by('unminified');
  const ext = by('sdk-external');
  if (!min || !unmin || !ext) return '';
  const diff = (a: number, b: number) => `${a <= b ? '' : '+'}${Math.round(a - b)} ms`;
  return (
    `Against the deployed build (minified, SDK bundled): unminified is ${kb(unmin.assetDeflatedBytes - min.assetDeflatedBytes)} ` +
    `${unmin.assetDeflatedBytes >= min.assetDeflatedBytes ? 'larger' : 'smaller'} zipped and ${diff(unmin.initMs, min.initMs)} to init; ` +
    `leaving the SDK external is ${kb(min.assetDeflatedBytes - ext.assetDeflatedBytes)} smaller zipped and ${diff(ext.initMs, min.initMs)} to init. ` +
    `Source maps (--enable-source-maps) cost ${diff(min.initMs, min.initNoMapsMs)} at init on the deployed build. ` +
    `Side by side (interleaved, source maps on): the deployed bundle inits in ${ms(c.sdkOnly.deployedInitMs)}, a minified bundle of only ` +
    `the SDK clients it uses (${kb(c.sdkOnly.jsBytes)}) in ${ms(c.sdkOnly.initMs)}: ${c.sdkOnly.ratio.toFixed(2)}x.`
  );
}

export function coldStartTable(c: ColdStartResult): string {
  return table(
    [
      'Bundle',
      'How',
      'index.js',
      'Zipped: index.js / whole asset (with map)',
      'Module init, median of 10 (source maps on, as deployed)',
      'Without --enable-source-maps',
      'RSS after init',
      'First invocation adds (loads run-handler.js)',
    ],
    c.bundles.map((b) => [
      b.label,
      b.how,
      kb(b.jsBytes),
      `${kb(b.jsDeflatedBytes)} / ${kb(b.assetDeflatedBytes)}`,
      ms(b.initMs),
      ms(b.initNoMapsMs),
      mb(b.rssAfterInitBytes),
      ms(b.firstInvocationExtraMs),
    ]),
  );
}

/** Listing time at DialNexa's observed limit for larger workspaces, from the bound and our worst measured ratio. */
export function projection(list: ScenarioResult[], latencyMs = 100): { table: string; worstRatio: number } {
  const worstRatio = Math.max(1, ...list.map((s) => s.ratio));
  const rows = [10_000, 50_000, 100_000, 200_000].map((n) => {
    const pages = Math.ceil(n / 100);
    const b = rateBound(
      { pages, latencyMs, concurrency: CLIENT_CONCURRENCY },
      OBSERVED_LIMIT.limit,
      OBSERVED_LIMIT.windowMs,
    );
    return [count(n), count(pages), ms(b.ms), ms(b.ms * worstRatio)];
  });
  return {
    worstRatio,
    table: table(
      [
        'Numbers',
        'Pages',
        'Bound at 150 req / 60 s, L = 100 ms',
        `Projected (bound × ${worstRatio.toFixed(2)}, our worst measured ratio)`,
      ],
      rows,
    ),
  };
}

/** Most numbers whose projected listing fits in `seconds` at the observed limit. */
function numbersListedWithin(seconds: number, worstRatio: number, latencyMs = 100): number {
  let pages = 0;
  for (let p = 10; p <= 20_000; p += 10) {
    const b = rateBound(
      { pages: p, latencyMs, concurrency: CLIENT_CONCURRENCY },
      OBSERVED_LIMIT.limit,
      OBSERVED_LIMIT.windowMs,
    );
    if ((b.ms * worstRatio) / 1000 > seconds) break;
    pages = p;
  }
  return pages * 100;
}

/** Memory and timeout of the function, from the peak RSS and the listing projection. */
export function sizing(res: BenchResult): string[] {
  const out: string[] = [];
  const c = res.compute;
  if (c) {
    const peak = Math.max(c.child.maxRssBytes, c.withHistory.child.maxRssBytes) / 1024 / 1024;
    const inLambda = c.withHistory.lambdaChild.maxRssBytes / 1024 / 1024;
    const suggested = Math.ceil((2 * peak) / 128) * 128;
    out.push(
      `- Memory: a scheduled run (history on) peaked at ${peak.toFixed(0)} MB RSS for ${count(c.numbers)} numbers; with 2x headroom ` +
        `that asks for ${suggested} MB (the stack's default is ${DEFAULTS.memorySize} MB). Started with the V8 flags Lambda's Node.js ` +
        `bootstrap uses at ${DEFAULTS.memorySize} MB (${lambdaNodeFlags(DEFAULTS.memorySize).join(' ')}), the same run peaked at ` +
        `${inLambda.toFixed(0)} MB: V8 lets the young generation grow with the memory it is given, so Lambda's Max Memory Used ` +
        'reads higher than the run needs. Lambda also gives CPU in proportion to memory ' +
        '(one full vCPU at 1,769 MB), so compute takes longer there than on this machine.',
    );
  }
  if (res.listing) {
    const { worstRatio } = projection(res.listing);
    const work = DEFAULTS.functionTimeoutSeconds - DEFAULTS.runDeadlineMarginSeconds;
    out.push(
      `- Timeout: at 150 requests / 60 s the listing, not compute, sets the run time. The default ${DEFAULTS.functionTimeoutSeconds} s ` +
        `less the ${DEFAULTS.runDeadlineMarginSeconds} s deadline margin lists about ${count(numbersListedWithin(work, worstRatio))} numbers` +
        (DEFAULTS.functionTimeoutSeconds < 900
          ? `; 900 s (the Lambda maximum) about ${count(numbersListedWithin(900 - DEFAULTS.runDeadlineMarginSeconds, worstRatio))}.`
          : ' (900 s is the Lambda maximum); the agents listing and a re-list, when needed, share the same rate limit.'),
    );
  }
  return out;
}

function machineLine(m: MachineInfo): string {
  const load =
    m.loadAverage.end === undefined
      ? `${m.loadAverage.start}`
      : `${m.loadAverage.start} at start, ${m.loadAverage.end} at end`;
  const sections = Object.entries(m.loadAverage.sections)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  return (
    `${m.cpus} vCPU ${m.cpuModel}, ${m.memoryGb} GB RAM, Node ${m.node} (${m.platform}); 1-minute load average ${load}` +
    `${sections ? ` (as each section began: ${sections})` : ''}; source maps ${m.sourceMaps ? 'on' : 'off'} in the bench process (tsx), ` +
    'as each section says for its children.'
  );
}

export function renderText(res: BenchResult): string {
  const out: string[] = [];
  out.push(`Number Audit benchmark: ${machineLine(res.machine)}`, '');
  if (res.listing) {
    out.push(
      `Listing (simulator in its own process on 127.0.0.1; our client at concurrency ${CLIENT_CONCURRENCY}, the handler's default)`,
    );
    out.push(
      listingTable(res.listing),
      '',
      'Ideal bounds (L latency, P pages, C concurrency, R requests per window W, r pages in the last window, Rq requests answered, U union of Retry-After pauses, n pauses):',
    );
    out.push(...boundFormulas(res.listing), '');
  }
  if (res.compute) out.push('Compute', computeTable(res.compute), computeParts(res.compute), '');
  if (res.coldStart) {
    out.push(
      'Cold start',
      coldStartTable(res.coldStart),
      coldStartComparison(res.coldStart),
      ...res.coldStart.notes.map((n) => `Note: ${n}`),
      '',
    );
  }
  if (res.endToEnd) out.push('End to end', endToEndTable(res.endToEnd), ...endToEndNotes(res.endToEnd), '');
  if (res.listing) {
    const p = projection(res.listing);
    out.push('Projection at the observed DialNexa limit', p.table, '');
  }
  const size = sizing(res);
  if (size.length) out.push('Sizing', ...size, '');
  out.push('Floors');
  for (const f of res.floors) out.push(`  ${mark(f.ok)} ${f.floor} (${f.where})`);
  out.push('', `Bench wall time ${ms(res.wallMs)}.`);
  return out.join('\n');
}

export function renderMarkdown(res: BenchResult): string {
  const out: string[] = ['## Performance', ''];
  out.push(`Measured with \`npm run bench\` on ${machineLine(res.machine)}`, '');
  if (res.listing) {
    out.push(
      '### Listing',
      '',
      'The client against the DialNexa simulator on loopback (in its own process), 100 ms added to every answer. ' +
        "The baseline is the loop from DialNexa's pagination docs: `page=1, 2, …` with `limit=100`, one request after another, " +
        `stop on a short page, wait Retry-After (or 1 s) after a 429/5xx. Ours pages concurrently (${CLIENT_CONCURRENCY} at a time) once page 1 gives the total, ` +
        'and never sends more than the `X-RateLimit-*` headers allow.',
      '',
      listingTable(res.listing),
      '',
      "Ideal bound: page 1 alone (it tells the total), then the rest at the client's concurrency, or at the announced rate when that is slower " +
        '(L latency, P pages, C concurrency, R requests per window W, r pages left for the last window, Rq requests answered, ' +
        'U union of the Retry-After pauses, n their number):',
      '',
      ...boundFormulas(res.listing),
      '',
    );
    const p = projection(res.listing);
    out.push(
      "At DialNexa's observed limit (150 requests per 60 s per key) the rate, not the client, sets the listing time:",
      '',
      p.table,
      '',
    );
  }
  if (res.endToEnd) {
    out.push(
      '### End to end',
      '',
      'What a user waits for: the built CLI (`bin/number-audit.js`, a child process) against the simulator in its own process, ' +
        'writing its files and printing `--json`, against the sequential loop above on the same server.',
      '',
      endToEndTable(res.endToEnd),
      '',
      ...endToEndNotes(res.endToEnd).map((n) => `- ${n}`),
      '',
    );
  }
  if (res.compute) out.push('### Compute', '', computeTable(res.compute), '', computeParts(res.compute), '');
  if (res.coldStart) {
    out.push(
      '### Cold start',
      '',
      coldStartTable(res.coldStart),
      '',
      coldStartComparison(res.coldStart),
      '',
      ...res.coldStart.notes.map((n) => `- ${n}`),
      '',
    );
  }
  const size = sizing(res);
  if (size.length) out.push('### Sizing', '', ...size, '');
  out.push('### Floors', '');
  for (const f of res.floors) out.push(`- ${mark(f.ok)} ${f.floor} (${f.where})`);
  out.push(
    '',
    '### Reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench               # about 6 minutes; tables on stdout, progress on stderr',
    "npm run -s bench -- --json  # the same figures as one JSON object (-s keeps npm's banner off stdout)",
    'npm run bench -- --only e2e,compute,cold --md perf.md   # sections (listing, e2e, compute, cold); write this section',
    '```',
    '',
    'Timings move with other load on the machine (the load average is printed with the figures).',
    '',
  );
  return out.join('\n');
}
