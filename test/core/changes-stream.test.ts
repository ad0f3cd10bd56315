// The run reads last week's snapshot a part at a time when the file is as this code writes it;
// whatever the file's text, the changes (or the reason there are none) must be exactly what
// parsing the whole file and diffing it gives (the reference below).
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
  snapshotFile,
  toSnapshotNumber,
} from '../../lambda/core/snapshot';
import { ALL_NUMBER_TYPES, type NumberType, type PhoneNumber } from '../../lambda/core/types';
import { phone } from './fixtures';

function reference(text: string, current: readonly PhoneNumber[]): SnapshotComparison {
  const parsed = parseSnapshot(text);
  return parsed.ok
    ? { ok: true, changes: diffSnapshots(parsed.snapshot, current) }
    : { ok: false, reason: parsed.reason };
}

function expectSame(actual: SnapshotComparison | null, expected: SnapshotComparison): void {
  expect(actual).toStrictEqual(expected);
  // JSON keeps list and key order, which toStrictEqual does not check for object keys.
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

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

describe('changesSinceSnapshot against parseSnapshot + diffSnapshots', () => {
  it('gives the same changes or the same reason for any snapshot text', () => {
    fc.assert(
      fc.property(weeksArb, headArb, mutationArb, fc.integer({ min: 1, max: 4 }), (weeks, head, mutation, part) => {
        const value = { ...head, numbers: weeks.before };
        const text = mutate(`${JSON.stringify(value)}\n`, mutation, value);
        expectSame(changesSinceSnapshot(text, weeks.now, part), reference(text, weeks.now));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the files snapshotFile writes part by part, with the same result', () => {
    fc.assert(
      fc.property(
        fc.array(numberArb, { maxLength: 20 }),
        weeksArb,
        fc.integer({ min: 1, max: 4 }),
        (numbers, weeks, part) => {
          // Unique ids and filled fields: a file as this code writes it for a workspace's listing.
          const filled = numbers.filter((n) => n.id !== '' && n.phoneNumber !== '' && n.countryCode !== '');
          const listed = [...new Map(filled.map((n) => [n.id, phone(n)])).values()];
          const text = snapshotFile('Acme', new Date('2026-11-23T09:00:00.000Z'), true, listed, part).toString('utf8');
          const streamed = streamedChanges(text, weeks.now, part);
          const current = new Map(weeks.now.map((n) => [n.id, n]));
          if (current.size === weeks.now.length) expect(streamed).not.toBeNull();
          expectSame(changesSinceSnapshot(text, weeks.now, part), reference(text, weeks.now));
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
      nickname: i % 50 === 0 ? '},{"id":"pn_1' : null,
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

  it('streams a file as written across several parts, to the reference result', () => {
    const text = serializeSnapshot(lastWeek);
    const streamed = streamedChanges(text, now);
    expect(streamed).not.toBeNull();
    expect(streamed?.ok && [streamed.changes.added.length, streamed.changes.removed.length]).toEqual([13, 4]);
    expectSame(streamed, reference(text, now));
  });

  it.each([
    ['an id listed twice last week', { ...lastWeek, numbers: [...lastWeek.numbers, lastWeek.numbers[900]] }, now],
    ['an id listed twice this week', lastWeek, [...now, now[5]]],
    ['an incomplete run', { ...lastWeek, complete: false }, now],
  ])('leaves %s to the whole-file way, with the same result', (_label, snapshot, current) => {
    const text = serializeSnapshot(snapshot as Snapshot);
    expect(streamedChanges(text, current)).toBeNull();
    expectSame(changesSinceSnapshot(text, current), reference(text, current));
  });
});
