import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { textOf } from '../../../lambda/adapters/archive/object-store';
import { ArchiveError, S3Archive, S3ObjectStore } from '../../../lambda/adapters/archive/s3-archive';
import { changesSince } from '../../../lambda/core/history';
import { ClaimLostError, IdempotencyRecordError, type IdempotencyRecord } from '../../../lambda/core/idempotency';
import { silentLogger } from '../../../lambda/core/ports';
import { serializeSnapshot, toSnapshot } from '../../../lambda/core/snapshot';
import type { PhoneNumber } from '../../../lambda/core/types';

const BUCKET = 'audit-history';
const KEY = 'a'.repeat(64);
const RECORD_KEY = `idempotency/${KEY}.json`;
const LEASE = 10 * 60_000;
const T0 = new Date('2026-11-30T09:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

const s3 = mockClient(S3Client);

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
}

/** An in-memory bucket with S3's conditional-write rules (If-None-Match: *, If-Match: etag). */
class FakeBucket {
  readonly objects = new Map<string, { body: Buffer; etag: string; contentType?: string }>();
  private version = 0;
  /** Runs before each PutObject is judged: simulate a competitor writing first, or a 409. */
  beforePut: ((input: PutObjectCommandInput) => void) | undefined;

  set(key: string, body: Buffer | string): string {
    const etag = `"v${++this.version}"`;
    this.objects.set(key, { body: Buffer.from(body), etag });
    return etag;
  }

  text(key: string): string | undefined {
    return this.objects.get(key)?.body.toString('utf8');
  }

  json(key: string): unknown {
    const text = this.text(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  install(): void {
    s3.on(GetObjectCommand).callsFake((input) => {
      const o = this.objects.get(input.Key);
      if (!o) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
      // A fresh copy each time, as each GetObject is its own download.
      const bytes = Uint8Array.from(o.body);
      return {
        Body: {
          transformToByteArray: async () => bytes,
          // What the SDK does on Node for utf-8 (Buffer#toString), which the store used until it handed over bytes.
          transformToString: async (encoding: BufferEncoding) => Buffer.from(bytes).toString(encoding),
        },
        ETag: o.etag,
      };
    });
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      const hook = this.beforePut;
      this.beforePut = undefined;
      hook?.(input);
      const key = input.Key!;
      const existing = this.objects.get(key);
      if (input.IfNoneMatch === '*' && existing) throw s3Error('PreconditionFailed', 412);
      // As S3 answers If-Match: 404 when the object is gone, 412 when it changed.
      if (input.IfMatch !== undefined && !existing)
        throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
      if (input.IfMatch !== undefined && existing?.etag !== input.IfMatch) throw s3Error('PreconditionFailed', 412);
      const body = Buffer.isBuffer(input.Body) ? input.Body : String(input.Body);
      const etag = this.set(key, body);
      this.objects.get(key)!.contentType = input.ContentType;
      return { ETag: etag };
    });
  }
}

function record(over: Partial<IdempotencyRecord>): string {
  const base: IdempotencyRecord = {
    schemaVersion: 1,
    key: KEY,
    state: 'claimed',
    token: 'other',
    attempt: 1,
    claimedAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
  };
  return JSON.stringify({ ...base, ...over });
}

function puts(): PutObjectCommandInput[] {
  return s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
}

let bucket: FakeBucket;
let tokens: number;
let archive: S3Archive;

beforeEach(() => {
  s3.reset();
  bucket = new FakeBucket();
  bucket.install();
  tokens = 0;
  archive = new S3Archive({
    bucket: BUCKET,
    client: new S3Client({}),
    newToken: () => `token-${++tokens}`,
    clock: () => later(1000),
  });
});

function num(id: string, over: Partial<PhoneNumber> = {}): PhoneNumber {
  return {
    id,
    phoneNumber: `+1202555000${id}`,
    countryCode: 'US',
    countrySource: 'api',
    type: 'local',
    typeInferred: false,
    status: 'active',
    inboundAgentId: 'agent',
    nickname: null,
    provider: null,
    createdAt: null,
    monthlyCostUsd: null,
    costSource: 'unknown',
    ...over,
  };
}

/** A byte order mark, text outside Latin-1 and bytes that are not UTF-8 (a cut-short 4-byte character, 0xFF). */
const AWKWARD_BYTES = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from('{"nickname":"東京 😀'),
  Buffer.from([0xf0, 0x9f, 0x98, 0xff]),
  Buffer.from('"}'),
]);

describe('S3ObjectStore reads', () => {
  it('hands over the bytes as stored, and textOf decodes them as the store did when it read text', async () => {
    bucket.set('k.json', AWKWARD_BYTES);
    const store = new S3ObjectStore(new S3Client({}), BUCKET);
    const stored = await store.get('k.json');
    expect(stored?.bytes.equals(AWKWARD_BYTES)).toBe(true);
    const download = (await new S3Client({}).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k.json' }))).Body;
    const before = await download?.transformToString('utf-8');
    expect(stored && textOf(stored)).toBe(before);
    // The mark kept, each bad sequence one U+FFFD: what JSON.parse of a pointer or record then sees.
    expect(before).toBe('\uFEFF{"nickname":"東京 😀\uFFFD\uFFFD"}');
  });
});

describe('S3Archive history', () => {
  it('writes a run under reports/<slug>/<yyyy>/<mm>/<dd>/<run-id>/ by UTC date, with content types', async () => {
    const out = await archive.writeRun({
      workspace: 'Acme Corp (EU)',
      date: new Date('2026-11-30T23:30:00-05:00'),
      runId: 'req-1',
      files: { 'audit.json': '{}', 'numbers.csv': Buffer.from('id\n'), 'report.html': '<p>' },
    });
    const prefix = 'reports/acme-corp-eu/2026/12/01/req-1/';
    expect(out).toEqual({ prefix, location: `s3://${BUCKET}/${prefix}` });
    expect(
      puts()
        .map((p) => [p.Bucket, p.Key, p.ContentType, p.IfNoneMatch, p.IfMatch])
        .sort(),
    ).toEqual([
      [BUCKET, `${prefix}audit.json`, 'application/json', undefined, undefined],
      [BUCKET, `${prefix}numbers.csv`, 'text/csv; charset=utf-8', undefined, undefined],
      [BUCKET, `${prefix}report.html`, 'text/html; charset=utf-8', undefined, undefined],
    ]);
    expect(bucket.text(`${prefix}numbers.csv`)).toBe('id\n');
  });

  it.each([
    ['a run id with ..', { runId: '..', files: {} }],
    ['a run id with /', { runId: 'a/b', files: {} }],
    ['a file name with /', { runId: 'r', files: { '../latest/acme.json': '{}' } }],
  ])('refuses %s before touching S3', async (_label, over) => {
    await expect(archive.writeRun({ workspace: 'Acme', date: T0, ...over })).rejects.toThrow(
      /must be 1-128 characters/,
    );
    expect(puts()).toHaveLength(0);
  });

  it('reads no previous run as null (NoSuchKey on the pointer)', async () => {
    await expect(archive.readLatestSnapshot('Acme')).resolves.toBeNull();
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: 'latest/acme.json' });
  });

  it('reads the snapshot the latest pointer names', async () => {
    const { prefix } = await archive.writeRun({
      workspace: 'Acme',
      date: T0,
      runId: 'r1',
      files: { 'snapshot.json': serializeSnapshot(toSnapshot('Acme', T0, true, [num('1')])) },
    });
    await expect(
      archive.writeLatestPointer('Acme', { runId: 'r1', generatedAt: T0.toISOString(), prefix }),
    ).resolves.toEqual({ updated: true });
    await expect(archive.readLatestSnapshot('Acme')).resolves.toEqual({
      ok: true,
      bytes: Buffer.from(serializeSnapshot(toSnapshot('Acme', T0, true, [num('1')]))),
      location: `s3://${BUCKET}/${prefix}snapshot.json`,
    });
  });

  it.each([
    [
      'a corrupt pointer',
      '{"runId":',
      undefined,
      /latest-run pointer is unreadable \(s3:\/\/audit-history\/latest\/acme\.json\)/,
    ],
    [
      'a pointer into another workspace',
      JSON.stringify({
        schemaVersion: 1,
        workspace: 'Acme',
        runId: 'r',
        generatedAt: T0.toISOString(),
        prefix: 'reports/other/2026/11/30/r/',
      }),
      undefined,
      /points outside this workspace's history/,
    ],
    ['a missing snapshot', pointerTo('r'), undefined, /previous snapshot is missing \(s3:\/\/.*\/r\/snapshot\.json\)/],
  ])('reports %s as not ok with a reason, never throws', async (_label, pointer, snapshot, reason) => {
    bucket.set('latest/acme.json', pointer);
    if (snapshot !== undefined) bucket.set('reports/acme/2026/11/30/r/snapshot.json', snapshot);
    const read = await archive.readLatestSnapshot('Acme');
    expect(read?.ok).toBe(false);
    expect(read && !read.ok && read.reason).toMatch(reason);
  });

  it.each([
    ['a corrupt snapshot', 'not json', 'the previous snapshot is not valid JSON'],
    [
      'an older snapshot schema',
      '{"schemaVersion":0}',
      'the previous snapshot uses an older schema (version 0; this version reads 1)',
    ],
  ])('hands %s over as bytes; the run then says why and where', async (_label, snapshot, reason) => {
    bucket.set('latest/acme.json', pointerTo('r'));
    bucket.set('reports/acme/2026/11/30/r/snapshot.json', snapshot);
    const file = `s3://${BUCKET}/reports/acme/2026/11/30/r/snapshot.json`;
    await expect(archive.readLatestSnapshot('Acme')).resolves.toEqual({
      ok: true,
      bytes: Buffer.from(snapshot),
      location: file,
    });
    await expect(
      changesSince(archive, 'Acme', {}, true, [num('1')], silentLogger).then((c) => c.section),
    ).resolves.toEqual({
      status: 'skipped',
      reason: `the previous report (${file}) could not be used: ${reason} (${file})`,
    });
  });

  it('turns AccessDenied into an ArchiveError that says which permission is missing', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(archive.readLatestSnapshot('Acme')).rejects.toThrow(ArchiveError);
    await expect(archive.readLatestSnapshot('Acme')).rejects.toThrow(
      /could not read s3:\/\/audit-history\/latest\/acme\.json: AccessDenied; .*s3:GetObject \(and s3:ListBucket\)/,
    );
  });

  it('creates the pointer with If-None-Match, replaces it with If-Match, and never moves it backwards', async () => {
    const p = (day: string, runId: string) => ({
      runId,
      generatedAt: `2026-11-${day}T09:00:00.000Z`,
      prefix: `reports/acme/2026/11/${day}/${runId}/`,
    });
    await archive.writeLatestPointer('Acme', p('23', 'a'));
    const etag = bucket.objects.get('latest/acme.json')!.etag;
    await expect(archive.writeLatestPointer('Acme', p('30', 'b'))).resolves.toEqual({ updated: true });
    await expect(archive.writeLatestPointer('Acme', p('16', 'old'))).resolves.toEqual({ updated: false });
    expect(puts().map((x) => [x.Key, x.IfNoneMatch, x.IfMatch])).toEqual([
      ['latest/acme.json', '*', undefined],
      ['latest/acme.json', undefined, etag],
    ]);
    expect(bucket.json('latest/acme.json')).toEqual({ schemaVersion: 1, workspace: 'Acme', ...p('30', 'b') });
  });

  it('refuses a pointer to another workspace', async () => {
    await expect(
      archive.writeLatestPointer('Acme', {
        runId: 'r',
        generatedAt: T0.toISOString(),
        prefix: 'reports/beta/2026/11/30/r/',
      }),
    ).rejects.toThrow(/not a run folder of this workspace/);
  });
});

function pointerTo(runId: string): string {
  return JSON.stringify({
    schemaVersion: 1,
    workspace: 'Acme',
    runId,
    generatedAt: T0.toISOString(),
    prefix: `reports/acme/2026/11/30/${runId}/`,
  });
}

describe('S3Archive idempotency', () => {
  it('claims a new key with a conditional create (If-None-Match: *)', async () => {
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: T0 })).resolves.toEqual({
      outcome: 'claimed',
      token: 'token-1',
      takeover: false,
    });
    expect(puts()).toEqual([expect.objectContaining({ Bucket: BUCKET, Key: RECORD_KEY, IfNoneMatch: '*' })]);
    expect(bucket.json(RECORD_KEY)).toEqual(JSON.parse(record({ token: 'token-1' })));
  });

  it('on 412 re-reads and sees the winner already sent: done', async () => {
    bucket.beforePut = () => bucket.set(RECORD_KEY, record({ state: 'sent', messageId: 'm-1' }));
    const out = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    expect(out).toMatchObject({ outcome: 'done', uncertain: false, record: { state: 'sent', messageId: 'm-1' } });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  it('on 412 re-reads and sees a fresh claim: in-progress', async () => {
    bucket.beforePut = () => bucket.set(RECORD_KEY, record({}));
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: later(1000) })).resolves.toMatchObject({
      outcome: 'in-progress',
      record: { token: 'other' },
    });
  });

  it('treats 409 ConditionalRequestConflict like 412: re-read and decide', async () => {
    bucket.beforePut = () => {
      bucket.set(RECORD_KEY, record({}));
      throw s3Error('ConditionalRequestConflict', 409);
    };
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: later(1000) })).resolves.toMatchObject({
      outcome: 'in-progress',
    });
  });

  it('after a 409 where nobody wrote, retries the create and claims', async () => {
    bucket.beforePut = () => {
      throw s3Error('ConditionalRequestConflict', 409);
    };
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: T0 })).resolves.toMatchObject({
      outcome: 'claimed',
      token: 'token-2',
    });
    expect(puts().map((p) => p.IfNoneMatch)).toEqual(['*', '*']);
  });

  it('two concurrent claims: exactly one is claimed', async () => {
    const outcomes = await Promise.all([
      archive.claim(KEY, { leaseMs: LEASE, now: T0 }),
      archive.claim(KEY, { leaseMs: LEASE, now: T0 }),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['claimed', 'in-progress']);
    expect(puts().map((p) => p.IfNoneMatch)).toEqual(['*', '*']); // both tried; S3 let one through
  });

  it('takes over a stale claim with If-Match on the etag it read', async () => {
    const etag = bucket.set(RECORD_KEY, record({}));
    const out = await archive.claim(KEY, { leaseMs: LEASE, now: later(LEASE + 1) });
    expect(out).toEqual({ outcome: 'claimed', token: 'token-1', takeover: true });
    expect(puts()).toEqual([expect.objectContaining({ Key: RECORD_KEY, IfMatch: etag })]);
    expect(bucket.json(RECORD_KEY)).toMatchObject({
      state: 'claimed',
      token: 'token-1',
      attempt: 2,
      claimedAt: later(LEASE + 1).toISOString(),
    });
  });

  it('loses a takeover race to the original owner moving to sending: done, uncertain, not resent', async () => {
    bucket.set(RECORD_KEY, record({}));
    bucket.beforePut = () => bucket.set(RECORD_KEY, record({ state: 'sending' }));
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: later(LEASE + 1) })).resolves.toMatchObject({
      outcome: 'done',
      uncertain: true,
    });
  });

  it("never resends a run left in 'sending', however old (crash after send)", async () => {
    bucket.set(RECORD_KEY, record({ state: 'sending' }));
    const out = await archive.claim(KEY, { leaseMs: LEASE, now: later(30 * 24 * 3600_000) });
    expect(out).toMatchObject({ outcome: 'done', uncertain: true });
    expect(puts()).toHaveLength(0);
  });

  it('runs the whole protocol: claim, sending, sent; a duplicate delivery is then done', async () => {
    const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    await archive.markSending(KEY, claim.token);
    expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'sending', updatedAt: later(1000).toISOString() });
    await archive.markSent(KEY, claim.token, { messageId: 'ses-1' });
    await archive.markSent(KEY, claim.token, { messageId: 'ses-1' }); // a retried markSent is harmless
    expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'sent', messageId: 'ses-1', token: claim.token });
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: later(5000) })).resolves.toMatchObject({
      outcome: 'done',
      uncertain: false,
    });
  });

  it('fences an owner whose claim was taken over: markSending throws ClaimLostError and changes nothing', async () => {
    const first = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    const second = await archive.claim(KEY, { leaseMs: LEASE, now: later(LEASE + 1) });
    expect(second).toMatchObject({ outcome: 'claimed', takeover: true });
    if (first.outcome !== 'claimed') throw new Error('expected a claim');
    const before = bucket.text(RECORD_KEY);
    await expect(archive.markSending(KEY, first.token)).rejects.toThrow(ClaimLostError);
    expect(bucket.text(RECORD_KEY)).toBe(before);
  });

  it('fences an owner that loses the If-Match write itself', async () => {
    const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    bucket.beforePut = () => bucket.set(RECORD_KEY, record({ token: 'thief', attempt: 2 }));
    await expect(archive.markSending(KEY, claim.token)).rejects.toThrow(/changed while moving it to sending/);
  });

  it('fences an owner whose record vanished (If-Match answers 404): ClaimLostError, not an S3 failure', async () => {
    const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    bucket.beforePut = () => bucket.objects.delete(RECORD_KEY);
    await expect(archive.markSending(KEY, claim.token)).rejects.toThrow(ClaimLostError);
  });

  describe('a conditional write that landed but whose answer was lost (the SDK retry then gets 412)', () => {
    /** The next PutObject is stored, then fails as its retry would: If-None-Match/If-Match no longer hold. */
    function loseTheAnswer(): void {
      bucket.beforePut = (input) => {
        bucket.set(input.Key!, String(input.Body));
        throw s3Error('PreconditionFailed', 412);
      };
    }

    it('claim: the re-read record carries our token, so the claim is ours', async () => {
      loseTheAnswer();
      await expect(archive.claim(KEY, { leaseMs: LEASE, now: T0 })).resolves.toEqual({
        outcome: 'claimed',
        token: 'token-1',
        takeover: false,
      });
      expect(puts()).toHaveLength(1);
      expect(tokens).toBe(1);
      expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'claimed', token: 'token-1', attempt: 1 });
    });

    it('takeover: likewise ours, still a takeover', async () => {
      bucket.set(RECORD_KEY, record({}));
      loseTheAnswer();
      await expect(archive.claim(KEY, { leaseMs: LEASE, now: later(LEASE + 1) })).resolves.toEqual({
        outcome: 'claimed',
        token: 'token-1',
        takeover: true,
      });
      expect(puts()).toHaveLength(1);
      expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'claimed', token: 'token-1', attempt: 2 });
    });

    it('markSending and markSent: the record already shows our move, so it succeeded', async () => {
      const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
      if (claim.outcome !== 'claimed') throw new Error('expected a claim');
      loseTheAnswer();
      await expect(archive.markSending(KEY, claim.token)).resolves.toBeUndefined();
      expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'sending', token: claim.token });
      loseTheAnswer();
      await expect(archive.markSent(KEY, claim.token, { messageId: 'ses-9' })).resolves.toBeUndefined();
      expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'sent', token: claim.token, messageId: 'ses-9' });
    });

    it('release: likewise', async () => {
      const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
      if (claim.outcome !== 'claimed') throw new Error('expected a claim');
      loseTheAnswer();
      await expect(archive.release(KEY, claim.token)).resolves.toBeUndefined();
      expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'released', token: claim.token });
    });

    it('still fences a move whose write failed while the record stayed as it was', async () => {
      const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
      if (claim.outcome !== 'claimed') throw new Error('expected a claim');
      bucket.beforePut = () => {
        throw s3Error('ConditionalRequestConflict', 409);
      };
      await expect(archive.markSending(KEY, claim.token)).rejects.toThrow(/changed while moving it to sending/);
      expect(bucket.json(RECORD_KEY)).toMatchObject({ state: 'claimed', token: claim.token });
    });
  });

  it('a released claim (failure before sending) is claimed again at once by the retry', async () => {
    const claim = await archive.claim(KEY, { leaseMs: LEASE, now: T0 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    await archive.release(KEY, claim.token);
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: later(2000) })).resolves.toEqual({
      outcome: 'claimed',
      token: 'token-2',
      takeover: true,
    });
  });

  it('refuses to guess on a corrupt record', async () => {
    bucket.set(RECORD_KEY, '{"state":');
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: T0 })).rejects.toThrow(IdempotencyRecordError);
  });

  it('does not mistake other S3 failures for a lost race', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(archive.claim(KEY, { leaseMs: LEASE, now: T0 })).rejects.toThrow(
      /could not write .*AccessDenied; .*s3:PutObject/,
    );
  });

  it('rejects keys that are not safe object names', async () => {
    await expect(archive.claim('../x', { leaseMs: LEASE, now: T0 })).rejects.toThrow(/idempotency key must be/);
    expect(s3.calls()).toHaveLength(0);
  });
});
