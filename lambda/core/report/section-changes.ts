// "Changes since <date>": what moved since the previous complete run.
import { hasChanges, type ChangedNumber, type Changes, type ValueChange } from '../changes';
import type { AgentCheck, NumberType } from '../types';
import type { ChangesSection } from '../workspace';
import { agentCell, phoneCell, typeCell } from './cells';
import { CHANGE_ROWS_LIMIT } from './context';
import {
  CHANGES_SKIPPED,
  FIRST_RUN_NOTE,
  asSentence,
  countryLabel,
  describeChanges,
  describeDeltas,
  formatCount,
  formatReportDate,
  moreChangesNote,
  plural,
  typeLabel,
} from './format';
import {
  section,
  type Callout,
  type Cell,
  type Column,
  type Line,
  type Section,
  type Table,
  type Tone,
} from './model-types';

/** Phone numbers listed inline in a call-out before "and N more". */
const CALLOUT_PHONES = 10;

function changeTable<T>(
  title: string,
  rows: readonly T[],
  columns: Column[],
  cells: (row: T) => Cell[],
  tone?: Tone,
): Table[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, CHANGE_ROWS_LIMIT);
  const hidden = rows.length - shown.length;
  return [
    {
      title: `${title} (${formatCount(rows.length)})`,
      ...(tone ? { tone } : {}),
      columns,
      rows: shown.map(cells),
      density: 'snug',
      ...(hidden > 0 ? { truncated: { text: `${moreChangesNote(hidden)}.` } } : {}),
    },
  ];
}

function numberTable(
  title: string,
  rows: readonly ChangedNumber[],
  check: AgentCheck | undefined,
  tone?: Tone,
): Table[] {
  const columns: Column[] = [
    { label: 'Number', align: 'left' },
    { label: 'Country', align: 'left' },
    { label: 'Type', align: 'left' },
    { label: 'Agent', align: 'left', width: '35%', wrap: true },
  ];
  const cells = (n: ChangedNumber): Cell[] => [
    phoneCell(n.phoneNumber),
    countryLabel(n.countryCode),
    typeCell(n),
    agentCell(check, n.inboundAgentId),
  ];
  return changeTable(title, rows, columns, cells, tone);
}

function valueTable(title: string, rows: readonly ValueChange[], value: (v: string | null) => Cell): Table[] {
  const columns: Column[] = [
    { label: 'Number', align: 'left' },
    { label: 'Was', align: 'left', width: '30%', wrap: true },
    { label: 'Now', align: 'left', width: '30%', wrap: true },
  ];
  return changeTable(title, rows, columns, (c) => [phoneCell(c.phoneNumber), value(c.from), value(c.to)]);
}

function phones(rows: readonly ChangedNumber[]): Callout['phones'] {
  const rest = rows.length - Math.min(rows.length, CALLOUT_PHONES);
  return {
    numbers: rows.slice(0, CALLOUT_PHONES).map((n) => n.phoneNumber),
    rest: rest > 0 ? ` and ${formatCount(rest)} more` : '',
  };
}

function callouts(changes: Changes): Callout[] {
  const out: Callout[] = [];
  const lost = changes.newlyUnrouted;
  if (lost.length > 0) {
    const label = `${plural(lost.length, 'number lost its', 'numbers lost their')} inbound agent:`;
    out.push({ tone: 'bad', label, phones: phones(lost) });
  }
  const fixed = changes.newlyFixed;
  if (fixed.length > 0) {
    const label = `${plural(fixed.length, 'number is', 'numbers are')} no longer unrouted:`;
    out.push({ tone: 'good', label, phones: phones(fixed) });
  }
  return out;
}

function deltaLines(changes: Changes): Line[] {
  const { byCountry, byType } = changes.countDelta;
  const lines: Line[] = [];
  if (Object.keys(byCountry).length > 0)
    lines.push({ label: 'By country:', text: describeDeltas(byCountry, countryLabel) });
  if (Object.keys(byType).length > 0)
    lines.push({ label: 'By type:', text: describeDeltas(byType, (t) => typeLabel(t as NumberType)) });
  return lines;
}

function compared(changes: Changes, check: AgentCheck | undefined, timeZone: string): Section {
  const title = `Changes since ${formatReportDate(new Date(changes.previousGeneratedAt), timeZone)}`;
  if (!hasChanges(changes)) {
    const text = 'No changes: the same numbers, routed the same way, with the same status.';
    return section('changes', title, { paragraphs: [{ lines: [{ text }] }] });
  }
  const summary = describeChanges(changes);
  const deltas = deltaLines(changes);
  const status = (v: string | null): Cell => (v === null ? { kind: 'blank', text: '(none)' } : v);
  return section('changes', title, {
    lead: summary === '' ? [] : [`${summary}.`],
    callouts: callouts(changes),
    paragraphs: deltas.length > 0 ? [{ lines: deltas }] : [],
    tables: [
      ...numberTable('Added', changes.added, check),
      ...numberTable('Removed', changes.removed, check, 'bad'),
      ...valueTable('Routing changed', changes.routingChanged, (id) => agentCell(check, id)),
      ...valueTable('Status changed', changes.statusChanged, status),
    ],
  });
}

export function changesSection(
  changes: ChangesSection | undefined,
  check: AgentCheck | undefined,
  timeZone: string,
): Section[] {
  if (!changes) return [];
  if (changes.status === 'compared') return [compared(changes.changes, check, timeZone)];
  if (changes.status === 'first-run')
    return [section('changes', 'Changes', { paragraphs: [{ lines: [{ text: FIRST_RUN_NOTE }] }] })];
  const warning: Callout = { tone: 'warn', label: CHANGES_SKIPPED, text: asSentence(changes.reason) };
  return [section('changes', 'Changes', { callouts: [warning] })];
}
