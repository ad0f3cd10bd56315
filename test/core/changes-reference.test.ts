// diffSnapshots walks last week's and this week's numbers side by side; whatever the inputs' order,
// duplicates or changes, its result must be exactly what a plain id Map gives (the reference below,
// the algorithm diffSnapshots had before the walk).
import fc from 'fast-check';
import { compareByCountryThenNumber, compareCountryCodes, isUnrouted } from '../../lambda/core/audit';
import { type Changes, diffSnapshots, type ValueChange } from '../../lambda/core/changes';
import { dict } from '../../lambda/core/dict';
import { type Snapshot, type SnapshotNumber, toSnapshotNumber } from '../../lambda/core/snapshot';
import { ALL_NUMBER_TYPES, type NumberType, type PhoneNumber } from '../../lambda/core/types';
import { phone } from './fixtures';

type Counted = Pick<SnapshotNumber, 'countryCode' | 'type'>;

function referenceDelta(previous: Iterable<Counted>, current: readonly Counted[], keyOf: (n: Counted) => string) {
  const counts = new Map<string, number>();
  for (const n of current) counts.set(keyOf(n), (counts.get(keyOf(n)) ?? 0) + 1);
  for (const n of previous) counts.set(keyOf(n), (counts.get(keyOf(n)) ?? 0) - 1);
  return counts;
}

function referenceNonZero(counts: Map<string, number>, order: (a: string, b: string) => number) {
  return dict(
    [...counts.keys()]
      .sort(order)
      .map((key): [string, number] => [key, counts.get(key) ?? 0])
      .filter(([, value]) => value !== 0),
  );
}

function referenceTypeOrder(a: string, b: string): number {
  const rank = (t: string) => {
    const i = (ALL_NUMBER_TYPES as readonly string[]).indexOf(t);
    return i === -1 ? ALL_NUMBER_TYPES.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function referenceDiff(previous: Snapshot, current: readonly PhoneNumber[]): Changes {
  const before = new Map<string, SnapshotNumber>();
  for (const n of previous.numbers) before.set(n.id, n);
  const nowIds = new Set<string>();
  const added: SnapshotNumber[] = [];
  const routingChanged: ValueChange[] = [];
  const statusChanged: ValueChange[] = [];
  const newlyUnrouted: SnapshotNumber[] = [];
  const newlyFixed: SnapshotNumber[] = [];
  for (const n of current) {
    nowIds.add(n.id);
    const old = before.get(n.id);
    if (!old) {
      added.push(toSnapshotNumber(n));
      continue;
    }
    const { id, phoneNumber, countryCode } = n;
    if (old.inboundAgentId !== n.inboundAgentId)
      routingChanged.push({ id, phoneNumber, countryCode, from: old.inboundAgentId, to: n.inboundAgentId });
    if (old.status !== n.status) statusChanged.push({ id, phoneNumber, countryCode, from: old.status, to: n.status });
    const was = isUnrouted(old);
    const is = isUnrouted(n);
    if (is && !was) newlyUnrouted.push(toSnapshotNumber(n));
    if (was && !is) newlyFixed.push(toSnapshotNumber(n));
  }
  const removed = [...before.values()].filter((n) => !nowIds.has(n.id));
  return {
    previousGeneratedAt: previous.generatedAt,
    added: added.sort(compareByCountryThenNumber),
    removed: removed.sort(compareByCountryThenNumber),
    routingChanged: routingChanged.sort(compareByCountryThenNumber),
    statusChanged: statusChanged.sort(compareByCountryThenNumber),
    newlyUnrouted: newlyUnrouted.sort(compareByCountryThenNumber),
    newlyFixed: newlyFixed.sort(compareByCountryThenNumber),
    countDelta: {
      byCountry: referenceNonZero(
        referenceDelta(before.values(), current, (n) => n.countryCode),
        compareCountryCodes,
      ),
      byType: referenceNonZero(
        referenceDelta(before.values(), current, (n) => n.type),
        referenceTypeOrder,
      ),
    },
  };
}

// Small pools, so ids, phone numbers and values collide often.
const fields = {
  phoneNumber: fc.constantFrom('+12025550001', '+12025550002', '+442000000001', '+919000000001', '+999100'),
  countryCode: fc.constantFrom('US', 'GB', 'IN', 'DE', 'unknown'),
  type: fc.constantFrom<NumberType>(...ALL_NUMBER_TYPES),
  status: fc.constantFrom('active', 'expired', 'pending', null),
  inboundAgentId: fc.constantFrom('agt_1', 'agt_2', null),
  nickname: fc.constantFrom('Support', 'Sales', null),
};
const id = fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `pn_${i}`));
const numberArb = fc.record({ id, ...fields });

/** One number across the two weeks: kept (maybe with changed fields), removed or added. */
const lifeArb = fc.record({
  number: numberArb,
  fate: fc.constantFrom('kept', 'kept', 'kept', 'changed', 'removed', 'added'),
  change: fc.record(fields, { requiredKeys: [] }),
});

const orderArb = fc.constantFrom('sorted', 'shuffled', 'reversed');

function ordered<T extends SnapshotNumber>(items: T[], order: string, seed: number): T[] {
  if (order === 'sorted') return items.sort(compareByCountryThenNumber);
  if (order === 'reversed') return items.sort(compareByCountryThenNumber).reverse();
  let state = seed;
  for (let i = items.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const weeksArb = fc
  .record({
    lives: fc.uniqueArray(lifeArb, { selector: (l) => l.number.id, maxLength: 25 }),
    // Numbers whose id may already be taken: duplicate ids within a week (a hand-edited snapshot, a caller's list).
    extraBefore: fc.array(numberArb, { maxLength: 3 }),
    extraNow: fc.array(numberArb, { maxLength: 3 }),
    orderBefore: orderArb,
    orderNow: orderArb,
    seed: fc.nat(),
  })
  .map(({ lives, extraBefore, extraNow, orderBefore, orderNow, seed }) => {
    const before: SnapshotNumber[] = [...extraBefore];
    const now: PhoneNumber[] = extraNow.map((n) => phone(n));
    for (const { number, fate, change } of lives) {
      if (fate !== 'added') before.push(number);
      if (fate !== 'removed') now.push(phone(fate === 'changed' ? { ...number, ...change } : number));
    }
    const previous: Snapshot = {
      schemaVersion: 1,
      workspace: 'Acme',
      generatedAt: '2026-11-23T09:00:00.000Z',
      complete: true,
      numbers: ordered(before, orderBefore, seed),
    };
    return { previous, current: ordered(now, orderNow, seed + 1) };
  });

describe('diffSnapshots against the id-Map reference', () => {
  it('gives the same lists, in the same order, and the same count keys in the same order, for any two weeks', () => {
    fc.assert(
      fc.property(weeksArb, ({ previous, current }) => {
        const expected = referenceDiff(previous, current);
        const actual = diffSnapshots(previous, current);
        expect(actual).toStrictEqual(expected);
        // JSON keeps list and key order, which toStrictEqual does not check for object keys.
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 1500 },
    );
  });

  it('matches the reference on a large sorted portfolio with a realistic week of changes', () => {
    const countries = ['DE', 'GB', 'IN', 'US', 'unknown'];
    const all = Array.from({ length: 3000 }, (_, i) =>
      phone({
        id: `pn_${i}`,
        phoneNumber: `+1${String(2025550000 + ((i * 7919) % 3000))}`,
        countryCode: countries[i % countries.length],
        type: ALL_NUMBER_TYPES[i % ALL_NUMBER_TYPES.length],
        inboundAgentId: i % 17 === 0 ? null : `agt_${i % 5}`,
      }),
    );
    const previous: Snapshot = {
      schemaVersion: 1,
      workspace: 'Acme',
      generatedAt: '2026-11-23T09:00:00.000Z',
      complete: true,
      numbers: all.slice(30).map(toSnapshotNumber).sort(compareByCountryThenNumber),
    };
    const current = all
      .filter((_, i) => i % 500 !== 99)
      .map((n, i) => (i % 300 === 1 ? { ...n, inboundAgentId: null } : i % 400 === 3 ? { ...n, status: 'expired' } : n))
      .map((n, i) => (i % 700 === 5 ? { ...n, phoneNumber: `+4420${i}`, countryCode: 'GB' } : n))
      .sort(compareByCountryThenNumber);
    const actual = diffSnapshots(previous, current);
    expect(actual.added).toHaveLength(30);
    expect(actual.removed.length).toBeGreaterThan(0);
    expect(actual.newlyUnrouted.length).toBeGreaterThan(0);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(referenceDiff(previous, current)));
  });
});
