// The demo's files are byte for byte what the fixture recorded (audit.json less its timings and
// run id): performance work must not change what a user receives. The fixture was written by
// `npx tsx scripts/demo-digest.ts --write` before that work began; a change meant to alter the
// report rewrites it in the same commit.
import { readFileSync } from 'node:fs';
import {
  DIGEST_FIXTURE,
  DIGESTED_FILES,
  demoDigest,
  stableAuditJson,
  type DemoDigest,
} from '../../scripts/demo-digest';

const recorded = JSON.parse(readFileSync(DIGEST_FIXTURE, 'utf8')) as DemoDigest;

test('the fixture covers the four files, each a real digest of a non-empty file', () => {
  expect(Object.keys(recorded).sort()).toEqual([...DIGESTED_FILES].sort());
  for (const name of DIGESTED_FILES) {
    expect(recorded[name].bytes).toBeGreaterThan(1000);
    expect(recorded[name].sha256).toMatch(/^[0-9a-f]{64}$/);
  }
});

test('only timings and the run id are blanked in audit.json', () => {
  const text = '{\n  "runId": "demo-2025",\n  "durationMs": 81,\n  "nickname": "durationMs 5"\n}';
  expect(stableAuditJson(text)).toBe('{\n  "runId": "",\n  "durationMs": 0,\n  "nickname": "durationMs 5"\n}');
});

test("the demo's report.html, report.txt, numbers.csv and audit.json are unchanged", async () => {
  const now = await demoDigest();
  for (const name of DIGESTED_FILES) expect({ file: name, ...now[name] }).toEqual({ file: name, ...recorded[name] });
}, 60_000);
