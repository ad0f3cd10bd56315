// Where the money goes: cost by folder (team) and by agent (use case), the unrouted spend, and the
// reconciliation with finance's inventory. Lists keyed by API or file data are bounded.
import { NO_FOLDER, type CostAttribution } from '../attribution';
import type { Reconciliation } from '../inventory';
import type { InventorySection, WorkspaceAudit } from '../workspace';
import { phoneCell, typeCell } from './cells';
import { AGENT_ROWS_LIMIT, OPEN_TABLE_ROWS_LIMIT } from './context';
import { asSentence, countryLabel, formatCount, formatUsd, plural } from './format';
import { type Cell, type Column, type Note, type Paragraph, section, type Section, type Table } from './model-types';

export const FOLDERS_SKIPPED = 'Folder names missing:';
export const INVENTORY_UNREADABLE = 'Inventory not reconciled:';

/** "and 3 more folders with 12 numbers." under a table cut at `limit` rows. */
function bounded<T>(
  all: readonly T[],
  limit: number,
  more: (rest: readonly T[]) => string,
): { shown: T[]; note?: Note } {
  const shown = all.slice(0, limit);
  const rest = all.slice(limit);
  return rest.length > 0 ? { shown, note: { text: more(rest) } } : { shown };
}

/** Numbers without a known cost are counted apart: their cost is not in "Per month". */
const UNPRICED: Column = { label: 'Unpriced', align: 'right' };

function folderTable(a: CostAttribution): Table[] {
  if (a.byFolder === null) return [];
  const entries = Object.entries(a.byFolder);
  const { shown, note } = bounded(entries, OPEN_TABLE_ROWS_LIMIT, (rest) => {
    const numbers = rest.reduce((sum, [, f]) => sum + f.numbers, 0);
    return `and ${plural(rest.length, 'more folder', 'more folders')} with ${plural(numbers, 'number', 'numbers')}.`;
  });
  return [
    {
      title: 'By folder (team)',
      columns: [
        { label: 'Folder', align: 'left', wrap: true },
        { label: 'Numbers', align: 'right' },
        UNPRICED,
        { label: 'Per month', align: 'right' },
      ],
      rows: shown.map(([id, f]): Cell[] => [
        id === NO_FOLDER
          ? { kind: 'blank', text: '(no folder)' }
          : f.name === null
            ? { kind: 'id', text: id }
            : { kind: 'strong', text: f.name },
        formatCount(f.numbers),
        { kind: 'count', n: f.unknownCount },
        formatUsd(f.totalMonthly),
      ]),
      ...(note ? { truncated: note } : {}),
    },
  ];
}

function agentTable(a: CostAttribution): Table[] {
  const entries = Object.entries(a.byAgent);
  if (entries.length === 0) return [];
  const { shown, note } = bounded(
    entries,
    AGENT_ROWS_LIMIT,
    (rest) => `and ${plural(rest.length, 'more agent', 'more agents')}; audit.json has every one (cost.byAgent).`,
  );
  const folderName = (id: string | null): Cell => {
    if (id === null) return { kind: 'blank', text: '(no folder)' };
    return a.byFolder?.[id]?.name ?? { kind: 'id', text: id };
  };
  const columns: Column[] = [
    { label: 'Agent', align: 'left', wrap: true },
    { label: 'Id', align: 'left', under: true },
    { label: 'Folder', align: 'left', under: true },
    { label: 'Numbers', align: 'right' },
    UNPRICED,
    { label: 'Per month', align: 'right' },
  ];
  return [
    {
      title: 'Top agents (use cases)',
      columns,
      rows: shown.map(([id, agent]): Cell[] => [
        agent.missing
          ? { kind: 'alarm', text: 'missing agent' }
          : agent.name === null
            ? { kind: 'blank', text: '(no name)' }
            : { kind: 'strong', text: agent.name },
        id,
        folderName(agent.folderId),
        formatCount(agent.numbers),
        { kind: 'count', n: agent.unknownCount },
        formatUsd(agent.totalMonthly),
      ]),
      density: 'snug',
      ...(note ? { truncated: note } : {}),
    },
  ];
}

function unroutedSpend(ws: WorkspaceAudit): Paragraph {
  const a = ws.attribution;
  const count = ws.audit.unrouted.length;
  if (count === 0) return { lines: [{ label: 'Unrouted spend:', text: 'none; every active number has an agent.' }] };
  const unpriced = a.unroutedUnknownCount > 0 ? ` (${formatCount(a.unroutedUnknownCount)} without a known cost)` : '';
  return {
    tone: 'bad',
    lines: [
      {
        label: 'Unrouted spend:',
        text: `${formatUsd(a.unroutedMonthly)} a month on ${plural(count, 'active number', 'active numbers')} with no inbound agent${unpriced}; every call to them is rejected.`,
      },
    ],
  };
}

/** Not when agent checks are switched off: the section is about agents. */
export function useCaseSection(ws: WorkspaceAudit): Section[] {
  if (ws.agents === undefined) return [];
  const a = ws.attribution;
  const folders = a.folders?.status === 'skipped' ? a.folders : undefined;
  const lead =
    ws.agents?.status === 'checked'
      ? "Each number's monthly cost goes to its inbound agent (the use case) and that agent's folder (the team)."
      : 'Costs by agent id only: agents could not be read, so their names and folders are unknown.';
  return [
    section('use-case', 'Cost by use case', {
      lead: [lead],
      callouts: folders
        ? [{ tone: 'warn', label: FOLDERS_SKIPPED, text: `${asSentence(folders.reason)} Costs are still by agent.` }]
        : [],
      paragraphs: [unroutedSpend(ws)],
      tables: [...folderTable(a), ...agentTable(a)],
    }),
  ];
}

function counts(r: Reconciliation): string[] {
  return [
    `${plural(r.rows, 'row', 'rows')} in the inventory: ${formatCount(r.matched)} matched, ` +
      `${formatCount(r.notInDialNexa.length)} not in DialNexa, ${formatCount(r.notInInventory.length)} in DialNexa but not in the inventory, ` +
      `${plural(r.priceMismatches.length, 'price mismatch', 'price mismatches')}, ${plural(r.invalidRows.length, 'invalid row', 'invalid rows')}.`,
    `${plural(r.unassignedCount, 'DialNexa number has', 'DialNexa numbers have')} no cost center.`,
  ];
}

/** A table of at most OPEN_TABLE_ROWS_LIMIT rows, then "and N more ... in audit.json". */
function listTable<T>(title: string, all: readonly T[], columns: Column[], row: (item: T) => Cell[]): Table[] {
  if (all.length === 0) return [];
  const { shown, note } = bounded(
    all,
    OPEN_TABLE_ROWS_LIMIT,
    (rest) => `and ${formatCount(rest.length)} more in audit.json (inventory).`,
  );
  return [
    {
      title: `${title} (${formatCount(all.length)})`,
      tone: 'warn',
      columns,
      rows: shown.map(row),
      density: 'snug',
      ...(note ? { truncated: note } : {}),
    },
  ];
}

const left = (label: string, wrap = false): Column => ({ label, align: 'left', ...(wrap ? { wrap } : {}) });
const right = (label: string): Column => ({ label, align: 'right' });
const text = (value: string | null): Cell => value ?? { kind: 'blank', text: '-' };

function reconciliationTables(r: Reconciliation): Table[] {
  const centers = Object.entries(r.byCostCenter);
  const { shown, note } = bounded(
    centers,
    OPEN_TABLE_ROWS_LIMIT,
    (rest) => `and ${plural(rest.length, 'more cost center', 'more cost centers')}.`,
  );
  return [
    ...listTable(
      'Not in DialNexa',
      r.notInDialNexa,
      [left('Number'), right('Line'), left('Cost center', true), left('Owner', true)],
      (e) => [phoneCell(e.phoneNumber), formatCount(e.line), text(e.costCenter), text(e.owner)],
    ),
    ...listTable('Not in the inventory', r.notInInventory, [left('Number'), left('Country'), left('Type')], (n) => [
      phoneCell(n.phoneNumber),
      countryLabel(n.countryCode),
      typeCell(n),
    ]),
    ...listTable(
      'Price mismatches',
      r.priceMismatches,
      [left('Number'), right('Inventory'), right('DialNexa')],
      (m) => [phoneCell(m.phoneNumber), formatUsd(m.inventoryMonthly), formatUsd(m.dialnexaMonthly)],
    ),
    ...listTable('Invalid rows', r.invalidRows, [right('Line'), left('Why', true)], (i) => [
      formatCount(i.line),
      i.reason,
    ]),
    ...(shown.length > 0
      ? [
          {
            title: 'DialNexa cost by cost center',
            columns: [left('Cost center', true), right('Numbers'), right('Per month')],
            rows: shown.map(([cc, c]): Cell[] => [cc, formatCount(c.numbers), formatUsd(c.totalMonthly)]),
            ...(note ? { truncated: note } : {}),
          },
        ]
      : []),
  ];
}

export function reconciliationSection(inventory: InventorySection | undefined): Section[] {
  if (inventory === undefined) return [];
  const title = 'Reconciliation';
  if (inventory.status === 'unreadable') {
    return [
      section('reconciliation', title, {
        callouts: [{ tone: 'warn', label: INVENTORY_UNREADABLE, text: asSentence(inventory.reason) }],
      }),
    ];
  }
  const r = inventory.reconciliation;
  return [section('reconciliation', title, { lead: counts(r), tables: reconciliationTables(r) })];
}
