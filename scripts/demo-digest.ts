// The demo's output files as digests, to prove a change left every byte of them alone (the
// performance work of issue 14 must not change what a user receives). The demo runs with a fixed
// clock; audit.json's timings and run id, which differ on every run, are blanked before hashing.
// email.eml is left out: its Message-ID and MIME boundaries are random by design.
//   npx tsx scripts/demo-digest.ts          print the digests
//   npx tsx scripts/demo-digest.ts --write  replace test/demo/fixtures/demo-output.json
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from './demo';

export const DIGEST_FIXTURE = join(__dirname, '..', 'test', 'demo', 'fixtures', 'demo-output.json');
export const DIGEST_CLOCK = new Date('2025-06-02T09:00:00Z');
export const DIGESTED_FILES = ['report.html', 'report.txt', 'numbers.csv', 'audit.json'] as const;

export type DemoDigest = Record<(typeof DIGESTED_FILES)[number], { bytes: number; sha256: string }>;

/** audit.json with what changes from run to run (listing durations, the run id) blanked, bytes otherwise kept. */
export function stableAuditJson(text: string): string {
  return text.replace(/"durationMs": \d+/g, '"durationMs": 0').replace(/"runId": "[^"]*"/g, '"runId": ""');
}

export async function demoDigest(): Promise<DemoDigest> {
  const dir = await mkdtemp(join(tmpdir(), 'number-audit-digest-'));
  try {
    await runDemo({
      outDir: dir,
      now: DIGEST_CLOCK,
      timeZone: 'UTC',
      stdout: () => undefined,
      stderr: () => undefined,
    });
    const digest = {} as DemoDigest;
    for (const name of DIGESTED_FILES) {
      const raw = await readFile(join(dir, name), 'utf8');
      const text = name === 'audit.json' ? stableAuditJson(raw) : raw;
      digest[name] = {
        bytes: Buffer.byteLength(text),
        sha256: createHash('sha256').update(text).digest('hex'),
      };
    }
    return digest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  demoDigest().then(
    async (digest) => {
      const text = `${JSON.stringify(digest, null, 2)}\n`;
      if (process.argv.includes('--write')) await writeFile(DIGEST_FIXTURE, text);
      process.stdout.write(text);
    },
    (error: unknown) => {
      process.stderr.write(`demo-digest: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
