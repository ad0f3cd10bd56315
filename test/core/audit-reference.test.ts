// auditNumbers and attributeCosts add up 100k numbers per run; whatever they do to be quick, for
// every list of numbers they must give exactly what they gave before: the reference below is both
// as they were (their code, comments left out).
import fc from 'fast-check';
import { attributeCosts, NO_FOLDER, type CostAttribution, type UseCaseInput } from '../../lambda/core/attribution';
import {
  auditNumbers,
  compareByCountryThenNumber,
  compareStrings,
  costSourceOf,
  isNotActive,
  isUnrouted,
  NO_STATUS,
  toCents,
  UNKNOWN_PROVIDER,
} from '../../lambda/core/audit';
import { dict } from '../../lambda/core/dict';
import {
  ALL_NUMBER_TYPES,
  UNKNOWN_COUNTRY,
  type AuditResult,
  type CostSource,
  type CostSummary,
  type Counts,
  type NumberType,
  type PhoneNumber,
} from '../../lambda/core/types';
import { phone } from './fixtures';

function orderedCounts(counts: Map<string, number>, lastKey: string): Counts {
  const keys = [...counts.keys()].sort(
    (a, b) =>
      (a === lastKey ? 1 : 0) - (b === lastKey ? 1 : 0) ||
      (counts.get(b) ?? 0) - (counts.get(a) ?? 0) ||
      compareStrings(a, b),
  );
  return dict(keys.map((key) => [key, counts.get(key) ?? 0]));
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function zeroTypes(): Record<NumberType, number> {
  return Object.fromEntries(ALL_NUMBER_TYPES.map((t) => [t, 0])) as Record<NumberType, number>;
}

function referenceCostSummary(numbers: readonly PhoneNumber[], countryOrder: readonly string[]): CostSummary {
  const byCountry = new Map<string, number>();
  const byType = new Map<string, number>();
  const byCountryType = new Map<string, Map<string, number>>();
  let total = 0;
  let knownCount = 0;
  const sources: Record<CostSource, number> = { api: 0, 'rate-card': 0, unknown: 0 };
  for (const n of numbers) {
    sources[costSourceOf(n)] += 1;
    if (n.monthlyCostUsd === null) continue;
    const cents = toCents(n.monthlyCostUsd);
    knownCount += 1;
    total += cents;
    increment(byCountry, n.countryCode, cents);
    increment(byType, n.type, cents);
    const row = byCountryType.get(n.countryCode) ?? new Map<string, number>();
    increment(row, n.type, cents);
    byCountryType.set(n.countryCode, row);
  }
  const countries = countryOrder.filter((c) => byCountry.has(c));
  const types = ALL_NUMBER_TYPES.filter((t) => byType.has(t));
  const money = (m: Map<string, number>, keys: readonly string[]): Counts =>
    dict(keys.filter((k) => m.has(k)).map((k) => [k, (m.get(k) ?? 0) / 100]));
  return {
    currency: 'USD',
    totalMonthly: total / 100,
    byCountry: money(byCountry, countries),
    byType: money(byType, types),
    byCountryType: dict(countries.map((c) => [c, money(byCountryType.get(c) ?? new Map(), ALL_NUMBER_TYPES)])),
    knownCount,
    unknownCount: numbers.length - knownCount,
    sources,
  };
}

function referenceAudit(numbers: readonly PhoneNumber[]): AuditResult {
  const countries = new Map<string, number>();
  const statuses = new Map<string, number>();
  const providers = new Map<string, number>();
  const byType = zeroTypes();
  const cells = new Map<string, Record<NumberType, number>>();
  for (const n of numbers) {
    increment(countries, n.countryCode);
    increment(statuses, n.status ?? NO_STATUS);
    increment(providers, n.provider ?? UNKNOWN_PROVIDER);
    byType[n.type] += 1;
    const row = cells.get(n.countryCode) ?? zeroTypes();
    row[n.type] += 1;
    cells.set(n.countryCode, row);
  }
  const byCountry = orderedCounts(countries, UNKNOWN_COUNTRY);
  const countryOrder = Object.keys(byCountry);
  return {
    total: numbers.length,
    byCountry,
    byType,
    byCountryType: dict(countryOrder.map((c) => [c, cells.get(c) ?? zeroTypes()])),
    byStatus: orderedCounts(statuses, NO_STATUS),
    byProvider: orderedCounts(providers, UNKNOWN_PROVIDER),
    unrouted: numbers.filter(isUnrouted).sort(compareByCountryThenNumber),
    notActive: numbers.filter(isNotActive).sort(compareByCountryThenNumber),
    cost: referenceCostSummary(numbers, countryOrder),
  };
}

interface Tally {
  numbers: number;
  cents: number;
  unknown: number;
}

function add(t: Tally, n: PhoneNumber): void {
  t.numbers += 1;
  if (n.monthlyCostUsd === null) t.unknown += 1;
  else t.cents += toCents(n.monthlyCostUsd);
}

const empty = (): Tally => ({ numbers: 0, cents: 0, unknown: 0 });

function bySpend<T extends { cents: number }>(entries: Array<[string, T]>): Array<[string, T]> {
  return entries.sort(([a, x], [b, y]) => y.cents - x.cents || (a < b ? -1 : a > b ? 1 : 0));
}

function referenceAttribution(numbers: readonly PhoneNumber[], input: UseCaseInput): CostAttribution {
  const agents = new Map<string, Tally>();
  const unrouted = empty();
  const unattributed = empty();
  for (const n of numbers) {
    if (n.inboundAgentId !== null) {
      const t = agents.get(n.inboundAgentId) ?? empty();
      add(t, n);
      agents.set(n.inboundAgentId, t);
    } else add(isUnrouted(n) ? unrouted : unattributed, n);
  }
  const checked = input.agents?.status === 'checked' ? input.agents : undefined;
  const folderOf = new Map<string, string | null>(input.agentList.map((a) => [a.id, a.folderId ?? null]));
  const names = new Map<string, string | null>(
    input.folders?.status === 'read' ? input.folders.folders.map((f) => [f.id, f.name]) : [],
  );
  const byAgent = bySpend([...agents]);
  const folders = new Map<string, Tally>();
  for (const [id, t] of byAgent) {
    const key = folderOf.get(id) ?? NO_FOLDER;
    const f = folders.get(key) ?? empty();
    f.numbers += t.numbers;
    f.cents += t.cents;
    f.unknown += t.unknown;
    folders.set(key, f);
  }
  return {
    byAgent: dict(
      byAgent.map(([id, t]) => [
        id,
        {
          name: checked && Object.hasOwn(checked.names, id) ? (checked.names[id] ?? null) : null,
          folderId: folderOf.get(id) ?? null,
          numbers: t.numbers,
          totalMonthly: t.cents / 100,
          unknownCount: t.unknown,
          missing: checked !== undefined && !Object.hasOwn(checked.names, id),
        },
      ]),
    ),
    byFolder: checked
      ? dict(
          bySpend([...folders]).map(([id, t]) => [
            id,
            { name: names.get(id) ?? null, numbers: t.numbers, totalMonthly: t.cents / 100, unknownCount: t.unknown },
          ]),
        )
      : null,
    unroutedMonthly: unrouted.cents / 100,
    unroutedUnknownCount: unrouted.unknown,
    unattributedMonthly: unattributed.cents / 100,
    ...(checked && input.folders
      ? {
          folders:
            input.folders.status === 'read'
              ? { status: 'read' as const, folderCount: input.folders.folders.length }
              : { status: 'skipped' as const, reason: input.folders.reason },
        }
      : {}),
  };
}

// Keys that a plain object would mistake for its own (the tallies must not), and the usual ones.
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const anyNumber: fc.Arbitrary<PhoneNumber> = fc
  .record({
    i: fc.nat(999),
    countryCode: fc.constantFrom('US', 'GB', 'FR', 'AU', UNKNOWN_COUNTRY, ...HOSTILE),
    phoneNumber: fc.constantFrom('+12015550100', '+12015550101', '+442071838750', '+3312', 'n/a'),
    type: fc.constantFrom(...(ALL_NUMBER_TYPES as readonly NumberType[])),
    status: fc.constantFrom('active', null, 'pending', 'expired', ...HOSTILE),
    provider: fc.constantFrom('twilio', 'telnyx', null, ...HOSTILE),
    inboundAgentId: fc.constantFrom(null, 'agt_1', 'agt_2', 'agt_3', 'agt_gone', ...HOSTILE),
    monthlyCostUsd: fc.oneof(
      fc.constantFrom(null, 0, 1.15, 2.005, 0.1, 0.2, 999_999.99, 1e7 + 0.005),
      fc.double({ min: 0, max: 1e8, noNaN: true }),
    ),
    costSource: fc.constantFrom('api' as const, 'rate-card' as const, 'unknown' as const),
  })
  .map(({ i, ...fields }) => phone({ id: `phn_${i}`, ...fields }));

const anyInput: fc.Arbitrary<UseCaseInput> = fc.record({
  agents: fc.constantFrom<UseCaseInput['agents']>(undefined, {
    status: 'checked',
    names: dict([
      ['agt_1', 'Sales'],
      ['agt_2', null],
      ['__proto__', 'Odd'],
    ]),
  } as UseCaseInput['agents']),
  agentList: fc.constantFrom(
    [],
    [
      { id: 'agt_1', name: 'Sales', folderId: 'fld_a' },
      { id: 'agt_2', name: null, folderId: null },
      { id: '__proto__', name: 'Odd', folderId: 'constructor' },
    ],
  ) as fc.Arbitrary<UseCaseInput['agentList']>,
  folders: fc.constantFrom<UseCaseInput['folders']>(undefined, { status: 'skipped', reason: 'forbidden' }, {
    status: 'read',
    folders: [
      { id: 'fld_a', name: 'Team A' },
      { id: 'constructor', name: 'Team C' },
    ],
  } as UseCaseInput['folders']),
});

/** As JSON would show them, key order included, and with the objects behind them compared too. */
const same = (a: unknown, b: unknown) => {
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(a).toEqual(b);
};

describe('auditNumbers and attributeCosts against their reference', () => {
  it('give what the reference gives for any numbers, sorted (as a run holds them) or not', () => {
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 120 }), fc.boolean(), anyInput, (numbers, sorted, input) => {
        const list = sorted ? [...numbers].sort(compareByCountryThenNumber) : numbers;
        same(auditNumbers(list), referenceAudit(list));
        same(attributeCosts(list, input), referenceAttribution(list, input));
      }),
      { numRuns: 400 },
    );
  });
});
