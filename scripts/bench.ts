// `npm run bench`: listing against the DialNexa simulator (ours vs the documented sequential
// loop), compute for 100k numbers, and cold start of the Lambda bundle, checked against the
// floors of issue 6. Not part of `npm test`: timings belong here, never in a unit test.
//   npm run bench -- --json                  one JSON object on stdout
//   npm run bench -- --only listing,compute  a subset (listing, e2e, compute, cold, usage, fanout)
//   npm run bench -- --md FILE               also write the README's Performance section
//   npm run bench -- --runs N                compute and end-to-end runs for the median (default 5)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runColdStartBench } from './bench/cold-start';
import { type FanOutBench, renderFanOut, runFanOutBench } from './bench/fan-out';
import { runComputeBench } from './bench/compute';
import { runEndToEndBench } from './bench/end-to-end';
import { runListingBench } from './bench/listing';
import { loadAverage1, machineInfo } from './bench/machine';
import { collectFloors, renderMarkdown, renderText, type BenchResult } from './bench/report';
import { note } from './bench/stats';
import { runUsageBench, usageFloors, usageText, type UsageResult } from './bench/usage';

const SECTIONS = ['listing', 'e2e', 'compute', 'cold', 'usage', 'fanout'] as const;
type Section = (typeof SECTIONS)[number];

function parseCli() {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      md: { type: 'string' },
      runs: { type: 'string', default: '5' },
      'keep-temp': { type: 'boolean', default: false },
    },
  });
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const s of only)
    if (!SECTIONS.includes(s as Section))
      throw new Error(`--only: unknown section "${s}" (use ${SECTIONS.join(', ')})`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  return { json: values.json, only: new Set(only as Section[]), md: values.md, runs, keepTemp: values['keep-temp'] };
}

async function main(): Promise<void> {
  const cli = parseCli();
  const started = performance.now();
  const machine = machineInfo();
  const workDir = mkdtempSync(join(tmpdir(), 'number-audit-bench-'));
  try {
    const partial: Omit<BenchResult, 'floors' | 'wallMs'> = { machine };
    const load = (section: Section) => (machine.loadAverage.sections[section] = loadAverage1());
    if (cli.only.has('listing')) {
      load('listing');
      partial.listing = await runListingBench();
    }
    if (cli.only.has('e2e')) {
      load('e2e');
      partial.endToEnd = await runEndToEndBench(workDir, cli.runs);
    }
    if (cli.only.has('compute')) {
      load('compute');
      partial.compute = await runComputeBench(workDir, cli.runs);
    }
    if (cli.only.has('cold')) {
      load('cold');
      partial.coldStart = await runColdStartBench(workDir);
    }
    if (cli.only.has('usage')) load('usage');
    const usage: UsageResult[] | undefined = cli.only.has('usage') ? await runUsageBench() : undefined;
    // Last: it loads the fan-out handlers into this process.
    if (cli.only.has('fanout')) load('fanout');
    const fanOut: FanOutBench | undefined = cli.only.has('fanout') ? await runFanOutBench() : undefined;
    machine.loadAverage.end = loadAverage1();
    const result: BenchResult = {
      ...partial,
      floors: [...collectFloors(partial), ...usageFloors(usage ?? [])],
      wallMs: Math.round(performance.now() - started),
    };

    if (cli.md) {
      writeFileSync(cli.md, renderMarkdown(result));
      note(`wrote ${cli.md}`);
    }
    const extras = [usage ? usageText(usage) : '', fanOut ? renderFanOut(fanOut) : ''].filter(Boolean);
    const text = [renderText(result), ...extras].join('\n\n');
    process.stdout.write(
      cli.json ? `${JSON.stringify({ ...result, usage, ...(fanOut ? { fanOut } : {}) })}\n` : `${text}\n`,
    );
    if (result.floors.some((f) => !f.ok)) process.exitCode = 1;
  } finally {
    if (cli.keepTemp) note(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
