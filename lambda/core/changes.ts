// What changed since the last complete run: the part of a weekly report people act on.
import { dict } from './dict';
import { compareByCountryThenNumber, compareCountryCodes, isUnrouted } from './audit';
import { toSnapshotNumber, type Snapshot, type SnapshotNumber } from './snapshot';
import { ALL_NUMBER_TYPES, type PhoneNumber } from './types';

export type ChangedNumber = SnapshotNumber;

export interface ValueChange {
  id: string;
  phoneNumber: string;
  /** Current country; carried so lists can be grouped and sorted like every other list. */
  countryCode: string;
  from: string | null;
  to: string | null;
}

export interface Changes {
  previousGeneratedAt: string;
  added: ChangedNumber[];
  removed: ChangedNumber[];
  /** Inbound agent changed (set, cleared or pointed elsewhere). */
  routingChanged: ValueChange[];
  statusChanged: ValueChange[];
  /**
   * In both runs, unrouted now but not before. A number that arrives unrouted is listed under
   * `added` only, so each number is told once.
   */
  newlyUnrouted: ChangedNumber[];
  /** In both runs, unrouted before but not now (given an agent, or no longer active). */
  newlyFixed: ChangedNumber[];
  /** Current count minus previous count; only non-zero deltas. */
  countDelta: { byCountry: Record<string, number>; byType: Record<string, number> };
}

type Counted = Pick<SnapshotNumber, 'countryCode' | 'type'>;

function delta(previous: Iterable<Counted>, current: readonly Counted[], keyOf: (n: Counted) => string) {
  const counts = new Map<string, number>();
  for (const n of current) counts.set(keyOf(n), (counts.get(keyOf(n)) ?? 0) + 1);
  for (const n of previous) counts.set(keyOf(n), (counts.get(keyOf(n)) ?? 0) - 1);
  return counts;
}

function nonZero(counts: Map<string, number>, order: (a: string, b: string) => number): Record<string, number> {
  return dict(
    [...counts.keys()]
      .sort(order)
      .map((key): [string, number] => [key, counts.get(key) ?? 0])
      .filter(([, value]) => value !== 0),
  );
}

function typeOrder(a: string, b: string): number {
  const rank = (t: string) => {
    const i = (ALL_NUMBER_TYPES as readonly string[]).indexOf(t);
    return i === -1 ? ALL_NUMBER_TYPES.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Numbers are matched by id: a number re-bought under a new id shows as removed + added. The
 * current numbers are read in place; only the few that are listed become snapshot numbers.
 */
export function diffSnapshots(previous: Snapshot, current: readonly PhoneNumber[]): Changes {
  const before = new Map<string, SnapshotNumber>();
  for (const n of previous.numbers) before.set(n.id, n);
  const nowIds = new Set<string>();

  const added: ChangedNumber[] = [];
  const routingChanged: ValueChange[] = [];
  const statusChanged: ValueChange[] = [];
  const newlyUnrouted: ChangedNumber[] = [];
  const newlyFixed: ChangedNumber[] = [];
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
      byCountry: nonZero(
        delta(before.values(), current, (n) => n.countryCode),
        compareCountryCodes,
      ),
      byType: nonZero(
        delta(before.values(), current, (n) => n.type),
        typeOrder,
      ),
    },
  };
}

/** True when nothing at all changed (the report can then say so in one line). */
export function hasChanges(changes: Changes): boolean {
  return (
    changes.added.length + changes.removed.length + changes.routingChanged.length + changes.statusChanged.length > 0 ||
    Object.keys(changes.countDelta.byCountry).length + Object.keys(changes.countDelta.byType).length > 0
  );
}
