// The inventory: numbers by country and type, monthly cost, status and provider.
import { NO_STATUS, UNKNOWN_PROVIDER } from '../audit';
import { ALL_NUMBER_TYPES, type AuditResult } from '../types';
import { describeCostSources, formatCount, formatUsd, plural, typeLabel } from './format';
import { section, type Column, type Section } from './model-types';

const NO_MATCH = 'No numbers matched.';

function noMatch(): Section['paragraphs'] {
  return [{ lines: [{ text: NO_MATCH }], quiet: true }];
}

export function countryTypeSection(audit: AuditResult): Section {
  const title = 'Numbers by country and type';
  if (audit.total === 0) return section('country-type', title, { paragraphs: noMatch() });
  const columns: Column[] = [
    { label: 'Country', align: 'left', width: '28%' },
    ...ALL_NUMBER_TYPES.map((t): Column => ({ label: typeLabel(t), align: 'right' })),
    { label: 'Total', align: 'right' },
  ];
  return section('country-type', title, {
    tables: [
      {
        columns,
        rows: Object.entries(audit.byCountryType).map(([code, cells]) => [
          { kind: 'country', code },
          ...ALL_NUMBER_TYPES.map((t) => ({ kind: 'count', n: cells[t] }) as const),
          { kind: 'strong', text: formatCount(audit.byCountry[code] ?? 0) },
        ]),
        totals: ['Total', ...ALL_NUMBER_TYPES.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)],
        density: 'tight',
      },
    ],
  });
}

export function costSection(audit: AuditResult): Section {
  const { cost } = audit;
  if (cost.knownCount === 0) {
    const text =
      audit.total === 0
        ? NO_MATCH
        : 'No monthly cost is known for any number: the API gave none and no rate card priced them.';
    return section('cost', 'Monthly cost', { paragraphs: [{ lines: [{ text }], quiet: true }] });
  }
  const unpriced = formatCount(cost.unknownCount);
  const known =
    cost.unknownCount === 0
      ? `Known for all ${formatCount(cost.knownCount)} numbers.`
      : `Known for ${formatCount(cost.knownCount)} of ${formatCount(audit.total)} numbers; ${unpriced} without a cost are not included.`;
  const types = ALL_NUMBER_TYPES.filter((t) => t in cost.byType);
  return section('cost', 'Monthly cost (USD)', {
    lead: [known, `Cost sources: ${describeCostSources(cost.sources)}.`],
    tables: [
      {
        columns: [
          { label: 'Country', align: 'left' },
          ...types.map((t): Column => ({ label: typeLabel(t), align: 'right' })),
          { label: 'Total', align: 'right' },
        ],
        rows: Object.entries(cost.byCountryType).map(([code, cells]) => [
          { kind: 'country', code },
          ...types.map((t) => (t in cells ? formatUsd(cells[t] ?? 0) : '-')),
          formatUsd(cost.byCountry[code] ?? 0),
        ]),
        totals: ['Total', ...types.map((t) => formatUsd(cost.byType[t] ?? 0)), formatUsd(cost.totalMonthly)],
        narrow: { across: 'Type', value: 'Per month' },
      },
    ],
  });
}

export function statusSection(audit: AuditResult): Section {
  if (audit.total === 0) return section('status', 'Status', { paragraphs: noMatch() });
  const notActive = audit.notActive.length;
  const lead =
    notActive > 0
      ? `${plural(notActive, 'number is', 'numbers are')} not active (pending, expired, ...) and never counted as unrouted.`
      : 'Every number is active or has no status.';
  return section('status', 'Status', {
    lead: [lead],
    tables: [
      {
        columns: [
          { label: 'Status', align: 'left' },
          { label: 'Numbers', align: 'right' },
        ],
        rows: Object.entries(audit.byStatus).map(([s, n]) => [
          s === NO_STATUS ? '(no status given)' : s,
          formatCount(n),
        ]),
      },
      {
        columns: [
          { label: 'Provider', align: 'left' },
          { label: 'Numbers', align: 'right' },
        ],
        rows: Object.entries(audit.byProvider).map(([p, n]) => [
          p === UNKNOWN_PROVIDER ? '(not given)' : p,
          formatCount(n),
        ]),
      },
    ],
  });
}
