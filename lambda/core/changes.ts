// What changed since the last complete run: the part of a weekly report people act on.
import { dict } from './dict';
import { IdHashes } from './id-hashes';
import { compareByCountryThenNumber, compareCountryCodes, isUnrouted } from './audit';
import {
  numbersInFile,
  parseSnapshot,
  type Snapshot,
  type SnapshotDraft,
  type SnapshotNumber,
  toSnapshotNumber,
  WrittenNumbers,
  writtenSnapshot,
} from './snapshot';
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
type Listed = Pick<SnapshotNumber, 'id' | 'phoneNumber' | 'countryCode'>;

/** A listed item and where its number stood in its week's list, for a stable sort whatever the order met. */
interface Found<T extends Listed> {
  at: number;
  item: T;
}

/** The items as a stable sort of them in list order gives, however they were collected. */
function sortedFound<T extends Listed>(found: Found<T>[]): T[] {
  return found.sort((a, b) => compareByCountryThenNumber(a.item, b.item) || a.at - b.at).map((f) => f.item);
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

function bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/**
 * Last week's numbers once per id, as an id Map would hold them (first position, last fields), and
 * their ids. A snapshot this code wrote has each id once, so the list comes back as it is.
 */
function onePerId(numbers: readonly SnapshotNumber[]): { numbers: readonly SnapshotNumber[]; ids: Set<string> } {
  const ids = new Set<string>();
  for (const n of numbers) ids.add(n.id);
  if (ids.size === numbers.length) return { numbers, ids };
  const byId = new Map<string, SnapshotNumber>();
  for (const n of numbers) byId.set(n.id, n);
  return { numbers: [...byId.values()], ids };
}

/** Nothing a change or a count is read from differs: the common case, kept small so the walk stays quick. */
function sameFields(old: SnapshotNumber, n: PhoneNumber): boolean {
  return (
    old.inboundAgentId === n.inboundAgentId &&
    old.status === n.status &&
    old.countryCode === n.countryCode &&
    old.type === n.type
  );
}

/** The changes found so far, each with its number's place in its list. */
class ChangeLists {
  readonly added: Found<ChangedNumber>[] = [];
  readonly removed: Found<ChangedNumber>[] = [];
  readonly routingChanged: Found<ValueChange>[] = [];
  readonly statusChanged: Found<ValueChange>[] = [];
  readonly newlyUnrouted: Found<ChangedNumber>[] = [];
  readonly newlyFixed: Found<ChangedNumber>[] = [];
  /** Current count minus previous count, so far. */
  readonly byCountry = new Map<string, number>();
  readonly byType = new Map<string, number>();

  count(n: Counted, by: number): void {
    bump(this.byCountry, n.countryCode, by);
    bump(this.byType, n.type, by);
  }

  /** A number in both weeks; its counts are the caller's. */
  compare(old: SnapshotNumber, n: PhoneNumber, at: number): void {
    if (old.inboundAgentId === n.inboundAgentId && old.status === n.status) return;
    const { id, phoneNumber, countryCode } = n;
    if (old.inboundAgentId !== n.inboundAgentId)
      this.routingChanged.push({
        at,
        item: { id, phoneNumber, countryCode, from: old.inboundAgentId, to: n.inboundAgentId },
      });
    if (old.status !== n.status)
      this.statusChanged.push({ at, item: { id, phoneNumber, countryCode, from: old.status, to: n.status } });
    const was = isUnrouted(old);
    const is = isUnrouted(n);
    if (is && !was) this.newlyUnrouted.push({ at, item: toSnapshotNumber(n) });
    if (was && !is) this.newlyFixed.push({ at, item: toSnapshotNumber(n) });
  }

  /** The same number in both weeks, met side by side: its counts change only if its country or type did. */
  pair(old: SnapshotNumber, n: PhoneNumber, at: number): void {
    this.compare(old, n, at);
    if (old.countryCode !== n.countryCode) {
      bump(this.byCountry, n.countryCode, 1);
      bump(this.byCountry, old.countryCode, -1);
    }
    if (old.type !== n.type) {
      bump(this.byType, n.type, 1);
      bump(this.byType, old.type, -1);
    }
  }

  result(previousGeneratedAt: string): Changes {
    return {
      previousGeneratedAt,
      added: sortedFound(this.added),
      removed: sortedFound(this.removed),
      routingChanged: sortedFound(this.routingChanged),
      statusChanged: sortedFound(this.statusChanged),
      newlyUnrouted: sortedFound(this.newlyUnrouted),
      newlyFixed: sortedFound(this.newlyFixed),
      countDelta: { byCountry: nonZero(this.byCountry, compareCountryCodes), byType: nonZero(this.byType, typeOrder) },
    };
  }
}

/**
 * Both lists are walked side by side: in sorted lists (as the workspace and the snapshot file keep
 * them) a number in both weeks is met at the same step, so it needs no lookup. The few met alone
 * are matched through a Map afterwards; an unsorted list only leaves more of them, never a wrong pair.
 * Last week's numbers are handed in one at a time, so they need not all be held.
 */
class Walk {
  readonly lonePrevious: Found<SnapshotNumber>[] = [];
  readonly loneCurrent: number[] = [];
  private j = 0;

  constructor(
    private readonly current: readonly PhoneNumber[],
    private readonly lists: ChangeLists,
  ) {}

  /** The place in this week's list the walk has come to. */
  get next(): number {
    return this.j;
  }

  /** Last week's number is this week's next one, every field the same: nothing to record. */
  unchanged(): void {
    this.j++;
  }

  /** Last week's number at position `at`, after every one before it. */
  previous(old: SnapshotNumber, at: number): void {
    const { current } = this;
    while (this.j < current.length) {
      const n = current[this.j] as PhoneNumber;
      if (old.id === n.id) {
        if (!sameFields(old, n)) this.lists.pair(old, n, this.j);
        this.j++;
        return;
      }
      if (compareByCountryThenNumber(old, n) < 0) break;
      this.loneCurrent.push(this.j++);
    }
    this.lonePrevious.push({ at, item: old });
  }

  /** After last week's last number: the rest of this week's are alone. */
  end(): this {
    while (this.j < this.current.length) this.loneCurrent.push(this.j++);
    return this;
  }
}

/**
 * The numbers met alone, matched by id. `pairedById` finds a last-week number that was paired in
 * the walk, for a current id met alone as well (an id listed twice this week). `beforeIds` may
 * also say yes for an id it never held (hashes that collide); `pairedById` then decides.
 */
function settle(
  walk: Walk,
  current: readonly PhoneNumber[],
  lists: ChangeLists,
  beforeIds: { has(id: string): boolean },
  pairedById: (id: string) => SnapshotNumber | undefined,
): void {
  const alone = new Map<string, SnapshotNumber>();
  for (const { item } of walk.lonePrevious) alone.set(item.id, item);
  const nowIds = new Set<string>();
  for (const j of walk.loneCurrent) {
    const n = current[j] as PhoneNumber;
    nowIds.add(n.id);
    lists.count(n, 1);
    const old = alone.get(n.id) ?? (beforeIds.has(n.id) ? pairedById(n.id) : undefined);
    if (old) lists.compare(old, n, j);
    else lists.added.push({ at: j, item: toSnapshotNumber(n) });
  }
  for (const { at, item } of walk.lonePrevious) {
    lists.count(item, -1);
    if (!nowIds.has(item.id)) lists.removed.push({ at, item });
  }
}

/**
 * Numbers are matched by id: a number re-bought under a new id shows as removed + added. The
 * current numbers are read in place; only the few that are listed become snapshot numbers.
 */
export function diffSnapshots(previous: Snapshot, current: readonly PhoneNumber[]): Changes {
  const { numbers: before, ids: beforeIds } = onePerId(previous.numbers);
  const lists = new ChangeLists();
  const walk = new Walk(current, lists);
  for (let i = 0; i < before.length; i++) walk.previous(before[i] as SnapshotNumber, i);
  let all: Map<string, SnapshotNumber> | undefined;
  settle(walk.end(), current, lists, beforeIds, (id) => {
    all ??= new Map(before.map((n) => [n.id, n]));
    return all.get(id);
  });
  return lists.result(previous.generatedAt);
}

/** The changes since a snapshot file, or why the file cannot be a baseline. */
export type SnapshotComparison = { ok: true; changes: Changes } | { ok: false; reason: string };

/**
 * parseSnapshot of the file's text (its bytes decoded as UTF-8) then diffSnapshots, result for
 * result and reason for reason. A file as this code writes it is read a number at a time from its
 * bytes instead, so neither its 17-34 MB of text nor last week's 100k numbers are ever held at
 * once; anything else goes the whole-file way. `draft`: this week's numbers as their snapshot file
 * will have them (snapshotDraft of `current`), so a number whose bytes did not change is not decoded.
 */
export function changesSinceSnapshot(
  bytes: Buffer,
  current: readonly PhoneNumber[],
  draft?: SnapshotDraft,
): SnapshotComparison {
  return streamedChanges(bytes, current, draft) ?? parsedChanges(bytes, current);
}

/** The whole file decoded and parsed, then diffed. */
export function parsedChanges(bytes: Buffer, current: readonly PhoneNumber[]): SnapshotComparison {
  const parsed = parseSnapshot(bytes.toString('utf8'));
  return parsed.ok ? { ok: true, changes: diffSnapshots(parsed.snapshot, current) } : parsed;
}

/**
 * The walk fed a number at a time; null when the file is not as written, or as soon as it needs
 * the whole list: a number not as written, an id listed twice last week (one is kept per id) or
 * this week (the paired one is looked up). Last week's number whose bytes are this week's next
 * number's bytes in the draft is that number unchanged (~99% of a week's numbers), never decoded.
 */
export function streamedChanges(
  bytes: Buffer,
  current: readonly PhoneNumber[],
  draft?: SnapshotDraft,
): SnapshotComparison | null {
  const written = writtenSnapshot(bytes);
  if (written === null) return null;
  const lists = new ChangeLists();
  const walk = new Walk(current, lists);
  // A repeated id (or a hash collision, as rare) sends the run down the exact path.
  // Sized for the file: a table of 2^18 keys (2 MB) for 100k numbers, which stays in the CPU's
  // caches far better than the 4 MB a larger guess gives (half the time).
  const ids = new IdHashes(numbersInFile(bytes.length));
  const before = new WrittenNumbers(bytes, written.from, written.to);
  // The draft's numbers are `current`'s one for one only if it was written from this very list.
  const usable = draft !== undefined && draft.of === current && draft.valid && !draft.spent;
  const now = usable ? new WrittenNumbers(draft.numbers, 0, draft.numbers.length) : undefined;
  for (; !before.done; before.next()) {
    // Read in place: the id hashed from the file's bytes, this week's number not even touched.
    const unchanged = now?.seek(walk.next) && before.sameAs(now) ? ids.addWritten(bytes, before.idStart) : null;
    if (unchanged === false) return null;
    if (unchanged === true) {
      walk.unchanged();
      continue;
    }
    const old = before.parse();
    if (old === null || !ids.add(old.id)) return null;
    walk.previous(old, before.index);
  }
  let pairedTwice = false;
  settle(walk.end(), current, lists, ids, () => {
    pairedTwice = true;
    return undefined;
  });
  return pairedTwice ? null : { ok: true, changes: lists.result(written.generatedAt) };
}

/** True when nothing at all changed (the report can then say so in one line). */
export function hasChanges(changes: Changes): boolean {
  return (
    changes.added.length + changes.removed.length + changes.routingChanged.length + changes.statusChanged.length > 0 ||
    Object.keys(changes.countDelta.byCountry).length + Object.keys(changes.countDelta.byType).length > 0
  );
}
