// The run reads last week's snapshot a number at a time from its bytes when the file is as this code
// writes it, and with this week's draft it decodes only the numbers whose bytes differ; whatever the
// file's bytes, the changes (or the reason there are none) must be exactly what decoding the whole
// file as UTF-8, parsing it and diffing it gives (the reference below).
import fc from 'fast-check';
import { compareByCountryThenNumber } from '../../lambda/core/audit';
import {
  changesSinceSnapshot,
  diffSnapshots,
  type SnapshotComparison,
  streamedChanges,
} from '../../lambda/core/changes';
import {
  parseSnapshot,
  type Snapshot,
  type SnapshotNumber,
  serializeSnapshot,
  type SnapshotDraft,
  snapshotDraft,
  snapshotFile,
  toSnapshotNumber,
  WrittenNumbers,
} from '../../lambda/core/snapshot';
import { ALL_NUMBER_TYPES, type NumberType, type PhoneNumber } from '../../lambda/core/types';
import { phone } from './fixtures';

function reference(bytes: Buffer, current: readonly PhoneNumber[]): SnapshotComparison {
  // The file's text as the archive made it before it handed over bytes (S3 and disk alike).
  const parsed = parseSnapshot(bytes.toString('utf8'));
  return parsed.ok
    ? { ok: true, changes: diffSnapshots(parsed.snapshot, current) }
    : { ok: false, reason: parsed.reason };
}

function expectSame(actual: SnapshotComparison | null, expected: SnapshotComparison): void {
  expect(actual).toStrictEqual(expected);
  // JSON keeps list and key order, which toStrictEqual does not check for object keys.
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** Stands for bytes that are not UTF-8 (see breakBytes): written as its own two bytes, then swapped. */
const MARK = '\u00A4';

// Strings that look like the structure the stream cuts at, escapes, non-Latin text and lone surrogates.
const hostile = fc.oneof(
  fc.constantFrom(
    '},{"id":"',
    ',"numbers":[',
    '"},{"id":"x',
    '\\"',
    'ends with \\',
    '\\',
    ']}',
    ']}\n',
    'Zürich',
    '東京 サポート',
    '😀 Ω',
    `x${MARK}y`,
    MARK,
    '\uFEFF',
    '\uD800',
    'x\uDC00',
    '\u202Eevil',
    '=1+2',
    '',
    '"',
  ),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({ unit: fc.constantFrom('}', '{', ',', '"', ':', '\\', '[', ']', 'i', 'd', ' '), maxLength: 12 }),
);

const sometimes = <T>(usual: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: hostile, weight: 1 });
const fields = {
  phoneNumber: sometimes(fc.constantFrom('+12025550001', '+12025550002', '+442000000001', '+999100')),
  countryCode: sometimes(fc.constantFrom('US', 'GB', 'IN', 'unknown')),
  type: fc.constantFrom<NumberType>(...ALL_NUMBER_TYPES),
  status: fc.oneof(fc.constantFrom('active', 'expired', null), hostile),
  inboundAgentId: fc.oneof(fc.constantFrom('agt_1', 'agt_2', null), hostile),
  nickname: fc.oneof(fc.constantFrom('Support', null), hostile),
};
const id = sometimes(fc.constantFrom(...Array.from({ length: 20 }, (_, i) => `pn_${i}`)));
const numberArb: fc.Arbitrary<SnapshotNumber> = fc.record({ id, ...fields });

/** Last week's entry as a hand-edited file may hold it: mostly as written, sometimes not what the schema accepts. */
const entryArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: numberArb, weight: 12 },
  { arbitrary: numberArb.map((n) => ({ ...n, type: 'bogus' })), weight: 1 },
  { arbitrary: numberArb.map((n) => ({ ...n, phoneNumber: '' })), weight: 1 },
  { arbitrary: numberArb.map((n) => ({ ...n, status: 5 })), weight: 1 },
  { arbitrary: numberArb.map(({ id, ...rest }) => ({ ...rest, id })), weight: 1 },
  { arbitrary: numberArb.map((n) => ({ ...n, extra: true })), weight: 1 },
  { arbitrary: numberArb.map(({ nickname: _, ...rest }) => rest), weight: 1 },
);

/** A week apart: last week's entries (duplicates and any order), this week's numbers. */
const weeksArb = fc
  .record({
    kept: fc.array(numberArb, { maxLength: 14 }),
    change: fc.array(fc.record(fields, { requiredKeys: [] }), { maxLength: 14 }),
    removed: fc.array(entryArb, { maxLength: 4 }),
    added: fc.array(numberArb, { maxLength: 4 }),
    sortBefore: fc.boolean(),
    sortNow: fc.boolean(),
  })
  .map(({ kept, change, removed, added, sortBefore, sortNow }) => {
    const before: unknown[] = [...kept, ...removed];
    const now = [...kept.map((n, i) => phone({ ...n, ...change[i] })), ...added.map((n) => phone(n))];
    const byOrder = (a: unknown, b: unknown) => compareByCountryThenNumber(a as SnapshotNumber, b as SnapshotNumber);
    return { before: sortBefore ? before.sort(byOrder) : before, now: sortNow ? now.sort(byOrder) : now };
  });

const headArb = fc.record({
  schemaVersion: fc.oneof({ arbitrary: fc.constant<unknown>(1), weight: 8 }, fc.constantFrom<unknown>(0, 2, '1', null)),
  workspace: sometimes(fc.constant('Acme')),
  generatedAt: fc.oneof(
    { arbitrary: fc.constant('2026-11-23T09:00:00.000Z'), weight: 8 },
    fc.constantFrom('not a date', '2026-11-23'),
  ),
  complete: fc.oneof({ arbitrary: fc.constant<unknown>(true), weight: 8 }, fc.constantFrom<unknown>(false, 'true')),
});

/** The file as written, then as someone or something may have left it. */
const mutationArb = fc.record({
  kind: fc.constantFrom(
    'none',
    'none',
    'none',
    'no newline',
    'pretty',
    'truncated',
    'character',
    'space',
    'trailing',
    'doubled',
  ),
  at: fc.nat(),
  char: fc.constantFrom(' ', '\n', '{', '}', '[', ']', ',', ':', '"', '\\', 'x', '1'),
});

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, { kind, at, char }: Mutation, value: unknown): string {
  const k = at % (text.length + 1);
  switch (kind) {
    case 'no newline':
      return text.slice(0, -1);
    case 'pretty':
      return JSON.stringify(value, null, 1);
    case 'truncated':
      return text.slice(0, k);
    case 'character':
      return text.slice(0, k) + char + text.slice(k + 1);
    case 'space':
      return `${text.slice(0, k)} ${text.slice(k)}`;
    case 'trailing':
      return text + char;
    case 'doubled':
      return text + text;
    default:
      return text;
  }
}

/** Sequences a UTF-8 decoder must replace: lone continuation, cut-short leads, a UTF-16 surrogate, overlong, 0xFF. */
const invalidArb = fc.constantFrom(
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xff],
  [0xef, 0xbb, 0xbf],
);

/** The file's bytes as storage may hand them over: with a byte order mark, or bytes that are not UTF-8. */
const byteMutationArb = fc.record({
  kind: fc.constantFrom('none', 'none', 'bom', 'invalid at', 'invalid in strings', 'invalid in strings'),
  at: fc.nat(),
  invalid: invalidArb,
});

type ByteMutation = typeof byteMutationArb extends fc.Arbitrary<infer T> ? T : never;

/** Every MARK's two bytes swapped for `invalid`: bytes inside a string value that are not UTF-8. */
function breakBytes(bytes: Buffer, invalid: readonly number[]): Buffer {
  const mark = Buffer.from(MARK);
  const out: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark, from)) {
    out.push(bytes.subarray(from, at), Buffer.from(invalid));
    from = at + mark.length;
  }
  out.push(bytes.subarray(from));
  return Buffer.concat(out);
}

function mutateBytes(bytes: Buffer, { kind, at, invalid }: ByteMutation): Buffer {
  const k = at % (bytes.length + 1);
  switch (kind) {
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 'invalid at':
      return Buffer.concat([bytes.subarray(0, k), Buffer.from(invalid), bytes.subarray(k)]);
    case 'invalid in strings':
      return breakBytes(bytes, invalid);
    default:
      return bytes;
  }
}

/** This week's draft when asked for and the numbers are in snapshot order (as a run has them), else none. */
function draftOf(now: readonly PhoneNumber[], withDraft: boolean): SnapshotDraft | undefined {
  return withDraft ? (snapshotDraft('Acme', now) ?? undefined) : undefined;
}

describe('changesSinceSnapshot against parseSnapshot + diffSnapshots', () => {
  it('gives the same changes or the same reason for any snapshot file', () => {
    fc.assert(
      fc.property(
        weeksArb,
        headArb,
        mutationArb,
        byteMutationArb,
        fc.boolean(),
        (weeks, head, mutation, byteMutation, withDraft) => {
          const value = { ...head, numbers: weeks.before };
          const text = mutate(`${JSON.stringify(value)}\n`, mutation, value);
          const bytes = mutateBytes(Buffer.from(text), byteMutation);
          const draft = draftOf(weeks.now, withDraft);
          expectSame(changesSinceSnapshot(bytes, weeks.now, draft), reference(bytes, weeks.now));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads the files snapshotFile writes a number at a time, with the same result', () => {
    fc.assert(
      fc.property(
        fc.array(numberArb, { maxLength: 20 }),
        weeksArb,
        fc.integer({ min: 1, max: 4 }),
        invalidArb,
        fc.boolean(),
        (numbers, weeks, part, invalid, withDraft) => {
          // Unique ids and filled fields: a file as this code writes it for a workspace's listing.
          const filled = numbers.filter((n) => n.id !== '' && n.phoneNumber !== '' && n.countryCode !== '');
          const listed = [...new Map(filled.map((n) => [n.id, phone(n)])).values()];
          const written = snapshotFile('Acme', new Date('2026-11-23T09:00:00.000Z'), true, listed, part);
          // Bytes that are not UTF-8 inside the strings keep the file as written: it still streams.
          const bytes = breakBytes(written, invalid);
          const draft = draftOf(weeks.now, withDraft);
          const streamed = streamedChanges(bytes, weeks.now, draft);
          const current = new Map(weeks.now.map((n) => [n.id, n]));
          if (current.size === weeks.now.length) expect(streamed).not.toBeNull();
          expectSame(changesSinceSnapshot(bytes, weeks.now, draft), reference(bytes, weeks.now));
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('streamedChanges', () => {
  const countries = ['DE', 'GB', 'IN', 'US', 'unknown'];
  const all = Array.from({ length: 1200 }, (_, i) =>
    phone({
      id: `pn_${i}`,
      phoneNumber: `+1${String(2025550000 + i)}`,
      countryCode: countries[i % countries.length],
      type: ALL_NUMBER_TYPES[i % ALL_NUMBER_TYPES.length],
      inboundAgentId: i % 17 === 0 ? null : `agt_${i % 5}`,
      // Text outside Latin-1 (a 4-byte character last) on every number, so on both sides of every cut.
      nickname: i % 50 === 0 ? '},{"id":"pn_1' : i % 9 === 0 ? null : `東京 ${i}${MARK}😀`,
    }),
  ).sort(compareByCountryThenNumber);
  const lastWeek: Snapshot = {
    schemaVersion: 1,
    workspace: 'Acme',
    generatedAt: '2026-11-23T09:00:00.000Z',
    complete: true,
    numbers: all.filter((_, i) => i % 97 !== 3).map(toSnapshotNumber),
  };
  const now = all
    .filter((_, i) => i % 301 !== 7)
    .map((n, i) => (i % 300 === 1 ? { ...n, inboundAgentId: null } : i % 400 === 3 ? { ...n, status: 'expired' } : n));

  describe.each([
    ['without a draft', false],
    ["with this week's draft", true],
  ])('%s', (_label, withDraft) => {
    const draft = (current: readonly PhoneNumber[]) => draftOf(current, withDraft);

    it('streams a file as written, to the reference result', () => {
      const bytes = Buffer.from(serializeSnapshot(lastWeek));
      const streamed = streamedChanges(bytes, now, draft(now));
      expect(streamed).not.toBeNull();
      expect(streamed?.ok && [streamed.changes.added.length, streamed.changes.removed.length]).toEqual([13, 4]);
      expectSame(streamed, reference(bytes, now));
    });

    it('streams a file with bytes that are not UTF-8 in its strings, read as U+FFFD as the whole file would be', () => {
      const bytes = breakBytes(Buffer.from(serializeSnapshot(lastWeek)), [0xf0, 0x9f, 0x98]);
      const streamed = streamedChanges(bytes, now, draft(now));
      expect(streamed).not.toBeNull();
      // Last week's nicknames now differ from this week's: each such kept number is listed as changed.
      expect(JSON.stringify(streamed)).toContain('\uFFFD');
      expectSame(streamed, reference(bytes, now));
    });

    it('leaves a file that starts with a byte order mark to the whole-file way, with the same result', () => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(serializeSnapshot(lastWeek))]);
      expect(streamedChanges(bytes, now, draft(now))).toBeNull();
      expectSame(changesSinceSnapshot(bytes, now, draft(now)), reference(bytes, now));
    });

    it.each([
      ['an id listed twice last week', { ...lastWeek, numbers: [...lastWeek.numbers, lastWeek.numbers[900]] }, now],
      [
        'an id listed twice last week, both unchanged',
        { ...lastWeek, numbers: [...lastWeek.numbers.slice(0, 901), ...lastWeek.numbers.slice(900)] },
        now,
      ],
      ['an id listed twice this week', lastWeek, [...now, now[5]]],
      ['an incomplete run', { ...lastWeek, complete: false }, now],
    ])('leaves %s to the whole-file way, with the same result', (_label, snapshot, current) => {
      const bytes = Buffer.from(serializeSnapshot(snapshot as Snapshot));
      expect(streamedChanges(bytes, current, draft(current))).toBeNull();
      expectSame(changesSinceSnapshot(bytes, current, draft(current)), reference(bytes, current));
    });
  });

  it("parses last week's numbers even when their bytes are the draft's, if the draft holds one the schema refuses", () => {
    const refused = [phone({ id: '', phoneNumber: '+12025550001' })];
    const bytes = Buffer.from(serializeSnapshot({ ...lastWeek, numbers: refused.map(toSnapshotNumber) }));
    expect(snapshotDraft('Acme', refused)?.valid).toBe(false);
    const result = changesSinceSnapshot(bytes, refused, draftOf(refused, true));
    expect(result.ok).toBe(false);
    expectSame(result, reference(bytes, refused));
  });

  it('decodes only the numbers whose bytes differ from the draft, and every number without one', () => {
    const bytes = Buffer.from(serializeSnapshot(lastWeek));
    const parse = jest.spyOn(WrittenNumbers.prototype, 'parse');
    try {
      expectSame(streamedChanges(bytes, now, draftOf(now, true)), reference(bytes, now));
      const withDraft = parse.mock.calls.length;
      parse.mockClear();
      expectSame(streamedChanges(bytes, now), reference(bytes, now));
      expect(parse.mock.calls.length).toBe(lastWeek.numbers.length);
      // The few that changed, were removed, or sit where an added number moved this week's list on.
      expect(withDraft).toBeGreaterThan(0);
      expect(withDraft).toBeLessThan(lastWeek.numbers.length / 10);
    } finally {
      parse.mockRestore();
    }
  });

  it('compares without a draft whose file was already made, rather than failing', () => {
    const bytes = Buffer.from(serializeSnapshot(lastWeek));
    const spent = draftOf(now, true);
    spent?.file(new Date(), true);
    expect(spent?.spent).toBe(true);
    expectSame(streamedChanges(bytes, now, spent), reference(bytes, now));
  });

  it('uses a draft only with the very list it was written from', () => {
    const bytes = Buffer.from(serializeSnapshot(lastWeek));
    const other = now.map((n) => ({ ...n, status: 'expired' }));
    const result = streamedChanges(bytes, other, draftOf(now, true));
    expectSame(result, reference(bytes, other));
    expect(result?.ok && result.changes.statusChanged.length).toBeGreaterThan(1000);
  });
});
