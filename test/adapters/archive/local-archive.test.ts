import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FsObjectStore, LocalArchive } from '../../../lambda/adapters/archive/local-archive';
import { textOf } from '../../../lambda/adapters/archive/object-store';
import { changesSince } from '../../../lambda/core/history';
import { ClaimLostError } from '../../../lambda/core/idempotency';
import { silentLogger } from '../../../lambda/core/ports';
import { serializeSnapshot, toSnapshot } from '../../../lambda/core/snapshot';
import type { PhoneNumber } from '../../../lambda/core/types';

const KEY = 'b'.repeat(64);
const LEASE = 60_000;
const T0 = new Date('2026-11-30T09:00:00.000Z');

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'number-audit-history-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const number: PhoneNumber = {
  id: 'n1',
  phoneNumber: '+12025550001',
  countryCode: 'US',
  countrySource: 'api',
  type: 'local',
  typeInferred: false,
  status: 'active',
  inboundAgentId: null,
  nickname: null,
  provider: null,
  createdAt: null,
  monthlyCostUsd: null,
  costSource: 'unknown',
};

describe('LocalArchive history', () => {
  it('lays a run out on disk like the bucket, leaves no temp files, and reads it back through the pointer', async () => {
    const archive = new LocalArchive({ dir });
    await expect(archive.readLatestSnapshot('Acme Corp')).resolves.toBeNull();
    const { location, prefix } = await archive.writeRun({
      workspace: 'Acme Corp',
      date: T0,
      runId: 'run-1',
      files: {
        'audit.json': '{"total":1}',
        'numbers.csv': Buffer.from('id\nn1\n'),
        'report.html': '<h1>1</h1>',
        'snapshot.json': serializeSnapshot(toSnapshot('Acme Corp', T0, true, [number])),
      },
    });
    expect(prefix).toBe('reports/acme-corp/2026/11/30/run-1/');
    expect(location).toBe(path.join(dir, 'reports', 'acme-corp', '2026', '11', '30', 'run-1'));
    await archive.writeLatestPointer('Acme Corp', { runId: 'run-1', generatedAt: T0.toISOString(), prefix });

    expect(await listFiles(dir)).toEqual([
      'latest/acme-corp.json',
      'reports/acme-corp/2026/11/30/run-1/audit.json',
      'reports/acme-corp/2026/11/30/run-1/numbers.csv',
      'reports/acme-corp/2026/11/30/run-1/report.html',
      'reports/acme-corp/2026/11/30/run-1/snapshot.json',
    ]);
    expect(await fs.readFile(path.join(location, 'numbers.csv'), 'utf8')).toBe('id\nn1\n');
    expect(JSON.parse(await fs.readFile(path.join(dir, 'latest', 'acme-corp.json'), 'utf8'))).toEqual({
      schemaVersion: 1,
      workspace: 'Acme Corp',
      runId: 'run-1',
      generatedAt: T0.toISOString(),
      prefix,
    });

    const read = await new LocalArchive({ dir }).readLatestSnapshot('Acme Corp');
    expect(read).toEqual({
      ok: true,
      bytes: Buffer.from(serializeSnapshot(toSnapshot('Acme Corp', T0, true, [number]))),
      location: path.join(location, 'snapshot.json'),
    });
  });

  it('keeps the pointer on the newest complete run', async () => {
    const archive = new LocalArchive({ dir });
    const p = (day: string) => ({
      runId: `r${day}`,
      generatedAt: `2026-11-${day}T09:00:00.000Z`,
      prefix: `reports/acme/2026/11/${day}/r${day}/`,
    });
    await expect(archive.writeLatestPointer('Acme', p('30'))).resolves.toEqual({ updated: true });
    await expect(archive.writeLatestPointer('Acme', p('23'))).resolves.toEqual({ updated: false });
    expect(JSON.parse(await fs.readFile(path.join(dir, 'latest', 'acme.json'), 'utf8')).runId).toBe('r30');
  });

  it('reports a corrupt snapshot as a reason with its path', async () => {
    const archive = new LocalArchive({ dir });
    const { prefix, location } = await archive.writeRun({
      workspace: 'Acme',
      date: T0,
      runId: 'r',
      files: { 'snapshot.json': '{oops' },
    });
    await archive.writeLatestPointer('Acme', { runId: 'r', generatedAt: T0.toISOString(), prefix });
    const file = path.join(location, 'snapshot.json');
    await expect(
      changesSince(archive, 'Acme', {}, true, [number], silentLogger).then((c) => c.section),
    ).resolves.toEqual({
      status: 'skipped',
      reason: `the previous report (${file}) could not be used: the previous snapshot is not valid JSON (${file})`,
    });
  });

  it('hands over a file as its bytes, and textOf decodes them as the store did when it read text', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"nickname":"東京 😀'),
      Buffer.from([0xf0, 0x9f, 0x98, 0xff]),
      Buffer.from('"}'),
    ]);
    await fs.writeFile(path.join(dir, 'k.json'), bytes);
    const stored = await new FsObjectStore(dir).get('k.json');
    expect(stored?.bytes.equals(bytes)).toBe(true);
    // Buffer#toString('utf8') as before: the mark kept, each bad sequence one U+FFFD.
    expect(stored && textOf(stored)).toBe('\uFEFF{"nickname":"東京 😀\uFFFD\uFFFD"}');
  });

  it('never resolves a key outside the folder', async () => {
    await expect(new FsObjectStore(dir).get('../outside.json')).rejects.toThrow(/outside the history folder/);
  });
});

describe('LocalArchive idempotency', () => {
  it('two concurrent claims on separate instances: exactly one is claimed', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => new LocalArchive({ dir }).claim(KEY, { leaseMs: LEASE, now: T0 })),
    );
    expect(outcomes.filter((o) => o.outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'in-progress')).toHaveLength(5);
    expect(await listFiles(dir)).toEqual([`idempotency/${KEY}.json`]);
  });

  it('concurrent takeovers of a stale claim: exactly one wins', async () => {
    await new LocalArchive({ dir }).claim(KEY, { leaseMs: LEASE, now: T0 });
    const stale = new Date(T0.getTime() + LEASE + 1);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => new LocalArchive({ dir }).claim(KEY, { leaseMs: LEASE, now: stale })),
    );
    expect(outcomes.filter((o) => o.outcome === 'claimed')).toEqual([expect.objectContaining({ takeover: true })]);
    const record = JSON.parse(await fs.readFile(path.join(dir, 'idempotency', `${KEY}.json`), 'utf8'));
    expect(record.attempt).toBe(2);
    expect(await listFiles(dir)).toEqual([`idempotency/${KEY}.json`]); // no lock or temp file left
  });

  it('runs claim, sending, sent on disk; the old owner is fenced after a takeover', async () => {
    let n = 0;
    const archive = new LocalArchive({ dir, newToken: () => `t${++n}`, clock: () => T0 });
    const first = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    const second = await archive.claim(KEY, { leaseMs: LEASE, now: new Date(T0.getTime() + LEASE + 1) });
    expect([first.outcome, second.outcome]).toEqual(['claimed', 'claimed']);
    await expect(archive.markSending(KEY, 't1')).rejects.toThrow(ClaimLostError);
    await archive.markSending(KEY, 't2');
    await archive.markSent(KEY, 't2', { messageId: 'm' });
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: T0 })).resolves.toMatchObject({
      outcome: 'done',
      uncertain: false,
      record: { state: 'sent', messageId: 'm', token: 't2' },
    });
  });
});

describe('FsObjectStore lock', () => {
  const KEY_PATH = 'idempotency/x.json';
  const file = () => path.join(dir, 'idempotency', 'x.json');
  const lock = () => `${file()}.lock`;

  async function staleLock(): Promise<void> {
    await fs.writeFile(lock(), 'dead holder');
    const old = new Date(Date.now() - 120_000);
    await fs.utimes(lock(), old, old);
  }

  afterEach(() => jest.restoreAllMocks());

  it('clears a lock left by a dead holder and writes', async () => {
    const store = new FsObjectStore(dir);
    await store.putIfAbsent(KEY_PATH, 'v1');
    const { etag } = (await store.get(KEY_PATH))!;
    await staleLock();
    await expect(store.putIfMatch(KEY_PATH, 'v2', etag)).resolves.toBe(true);
    expect(await fs.readFile(file(), 'utf8')).toBe('v2');
    expect(await listFiles(dir)).toEqual([KEY_PATH]);
  });

  it('never deletes a fresh lock that replaced the stale one after it was judged stale', async () => {
    const store = new FsObjectStore(dir);
    await store.putIfAbsent(KEY_PATH, 'v1');
    const { etag } = (await store.get(KEY_PATH))!;
    await staleLock();

    const realStat = fs.stat.bind(fs);
    const realOpen = fs.open.bind(fs);
    let replaced = false;
    let seenOnRetry: string | undefined;
    // Another process, right after our stat: removes the stale lock and takes the lock itself.
    jest.spyOn(fs, 'stat').mockImplementation((async (p: string, opts?: object) => {
      const st = await realStat(p, opts as undefined);
      if (!replaced && String(p) === lock()) {
        replaced = true;
        await fs.rm(lock());
        await fs.writeFile(lock(), 'fresh holder');
      }
      return st;
    }) as typeof fs.stat);
    // On our next attempt, that process still holds its lock; then it finishes and lets go.
    jest.spyOn(fs, 'open').mockImplementation((async (p: string, flags?: string) => {
      if (replaced && seenOnRetry === undefined && String(p) === lock()) {
        seenOnRetry = await fs.readFile(lock(), 'utf8').catch(() => 'deleted');
        await fs.rm(lock(), { force: true });
      }
      return realOpen(p, flags);
    }) as typeof fs.open);

    await expect(store.putIfMatch(KEY_PATH, 'v2', etag)).resolves.toBe(true);
    expect(replaced).toBe(true);
    expect(seenOnRetry).toBe('fresh holder');
    expect(await fs.readFile(file(), 'utf8')).toBe('v2');
    expect(await listFiles(dir)).toEqual([KEY_PATH]); // no lock or set-aside file left
  });
});
