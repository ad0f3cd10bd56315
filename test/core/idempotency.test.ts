import {
  decideClaim,
  parseIdempotencyRecord,
  IdempotencyRecordError,
  type IdempotencyRecord,
} from '../../lambda/core/idempotency';

const claimedAt = '2026-11-30T09:00:00.000Z';
const record = (state: IdempotencyRecord['state']): IdempotencyRecord => ({
  schemaVersion: 1,
  key: 'k',
  state,
  token: 't',
  attempt: 1,
  claimedAt,
  updatedAt: claimedAt,
});
const lease = 10 * 60_000;
const sinceClaim = (ms: number) => new Date(Date.parse(claimedAt) + ms);

describe('decideClaim', () => {
  it('a sent run is done', () => {
    expect(decideClaim(record('sent'), sinceClaim(0), lease)).toEqual({ action: 'done', uncertain: false });
  });

  it('a run left in sending is done but uncertain, however old (never resent)', () => {
    expect(decideClaim(record('sending'), sinceClaim(0), lease)).toEqual({ action: 'done', uncertain: true });
    expect(decideClaim(record('sending'), sinceClaim(30 * 24 * 3600_000), lease)).toEqual({
      action: 'done',
      uncertain: true,
    });
  });

  it('a claim is in progress until its lease runs out, then taken over', () => {
    expect(decideClaim(record('claimed'), sinceClaim(lease), lease)).toEqual({ action: 'in-progress' });
    expect(decideClaim(record('claimed'), sinceClaim(lease + 1), lease)).toEqual({ action: 'take-over' });
  });

  it('a released claim is taken over at once', () => {
    expect(decideClaim(record('released'), sinceClaim(0), lease)).toEqual({ action: 'take-over' });
  });
});

describe('parseIdempotencyRecord', () => {
  it('reads a record and refuses to guess on a corrupt one', () => {
    expect(parseIdempotencyRecord(JSON.stringify(record('sent')), 'loc')).toEqual(record('sent'));
    expect(() => parseIdempotencyRecord('{"state":"sent"', 's3://b/idempotency/k.json')).toThrow(
      IdempotencyRecordError,
    );
    expect(() => parseIdempotencyRecord(JSON.stringify({ ...record('sent'), state: 'maybe' }), 'x')).toThrow(
      /unknown whether this run's email was sent/,
    );
  });
});
