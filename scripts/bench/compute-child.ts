// Runs in a fresh Node process (bundled by esbuild, started with plain `node`): reads the listing's
// pages, validates them as the client does, runs the pipeline once and reports time and memory.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { NumberRecord } from '../../lambda/core/types';
import { recordsFromPages, runPipeline } from './compute-pipeline';
import { timeCompute } from './compute-times';

function statusKb(field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** `times`: the timed runs, side by side with the JSON reference (compute-times.ts). */
async function times(file: string, previousFile: string, runs: number): Promise<void> {
  const pages = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const records = recordsFromPages(pages);
  const result = await timeCompute(pages, records, readFileSync(previousFile), runs);
  process.stdout.write(JSON.stringify(result));
}

async function main(): Promise<void> {
  const [mode, file, previousFile, runs] = process.argv.slice(2);
  if (mode === 'times' && file && previousFile) return times(file, previousFile, Number(runs));
  if (mode !== 'peak' || !file) {
    throw new Error(
      'usage: compute-child peak <pages.ndjson> [previous-snapshot.json] | times <pages> <previous> <runs>',
    );
  }
  await peak(file, previousFile);
}

/** `peak`: one run in this fresh process, its time and its memory. */
async function peak(file: string, previousFile: string | undefined): Promise<void> {
  // Page by page, as a listing holds them: loading must not set the peak.
  const held = { records: [] as NumberRecord[] };
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (line !== '') held.records.push(...recordsFromPages([line]));
  }
  const numbers = held.records.length;
  // Bytes, as the archive hands them over: the run reads them a number at a time.
  const history = previousFile ? { readPreviousSnapshot: () => readFileSync(previousFile) } : undefined;
  const before = { rssKb: statusKb('VmRSS'), hwmKb: statusKb('VmHWM') };
  // "5" resets the high-water mark (Linux >= 4.0), so VmHWM afterwards is the pipeline's own peak.
  let hwmReset = false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    hwmReset = true;
  } catch {
    hwmReset = false;
  }
  // Handed over: after the run lists, only the run holds the records, as in a deployed run.
  const result = await runPipeline(() => held.records.splice(0), history);
  const after = { rssKb: statusKb('VmRSS'), hwmKb: statusKb('VmHWM') };
  process.stdout.write(
    JSON.stringify({
      numbers,
      ms: result.ms,
      attachment: result.attachment,
      rawBytes: result.rawBytes,
      before,
      after,
      hwmReset,
      // KiB on Linux.
      maxRssKb: process.resourceUsage().maxRSS,
    }),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
