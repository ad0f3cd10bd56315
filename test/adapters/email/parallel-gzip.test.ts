// The CSV's gzip made in parts on several threads must be one ordinary gzip file: read back whole by
// Node's zlib and by GNU gzip (another implementation), with zlib's header and a correct trailer.
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { GZIP_LEVEL, gzipParts, MIN_PART_BYTES, parallelGzip } from '../../../lambda/adapters/email/parallel-gzip';

/** A CSV-like file of `rows` rows, non-ASCII text included. */
function csvOf(rows: number): Buffer {
  const lines = Array.from(
    { length: rows },
    (_, i) => `phn_${i},+1415${String(i).padStart(7, '0')},US,Café ${i % 97},☎`,
  );
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

describe('gzipParts', () => {
  it.each([
    [0, 8, 1],
    [MIN_PART_BYTES - 1, 8, 1],
    [2 * MIN_PART_BYTES, 1, 1],
    [2 * MIN_PART_BYTES, 2, 2],
    [3 * MIN_PART_BYTES - 1, 8, 2],
    [16 * MIN_PART_BYTES, 2, 2],
    [16 * MIN_PART_BYTES, 16, 4],
  ])(
    'deflates %i bytes on %i cores in %i parts (a core each, at least MIN_PART_BYTES each, at most the thread pool)',
    (bytes, cores, parts) => {
      expect(gzipParts(bytes, cores)).toBe(parts);
    },
  );
});

describe('parallelGzip', () => {
  it('gunzips back to the input for any input and any number of parts, empty parts included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 6 }), async (bytes, parts) => {
        const data = Buffer.from(bytes);
        expect(gunzipSync(await parallelGzip(data, parts)).equals(data)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each([2, 3, 4])('makes one gzip member in %i parts that GNU gzip reads and checks whole', async (parts) => {
    const csv = csvOf(60_000);
    const gz = await parallelGzip(csv, parts);
    // zlib's header on Linux (no name, no time, OS Unix): in parts the header is this on any host.
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
    expect(execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 64 * 1024 * 1024 }).equals(csv)).toBe(true);
    // Each part starts without the last one's dictionary: barely larger than a gzip in one part.
    expect(gz.length).toBeLessThan(gzipSync(csv, { level: GZIP_LEVEL }).length * 1.01);
  });

  it('is exactly a level-3 gzip in one part', async () => {
    const csv = csvOf(5_000);
    expect((await parallelGzip(csv, 1)).equals(gzipSync(csv, { level: GZIP_LEVEL }))).toBe(true);
  });
});
