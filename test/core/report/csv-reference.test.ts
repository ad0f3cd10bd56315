// renderCsv writes cells straight into bytes; whatever the numbers, texts, agents, folders, usage and
// workspaces, its file must be byte for byte what the implementation before it wrote (the reference
// below: its code unchanged, less its comments and exports, `renderCsv` renamed `referenceCsv`).
import fc from 'fast-check';
import { agentName, checkAgents } from '../../../lambda/core/agents';
import { agentFolder, attributeCosts } from '../../../lambda/core/attribution';
import { compareByCountryThenNumber, costSourceOf, wholeCents } from '../../../lambda/core/audit';
import {
  CSV_BOM,
  CSV_COLUMNS,
  type CsvColumn,
  type CsvText,
  neutraliseFormula,
  quoteCsvField,
  renderCsv,
} from '../../../lambda/core/report/csv';
import { ALL_NUMBER_TYPES, type PhoneNumber } from '../../../lambda/core/types';
import { USAGE_STATES, type NumberUsage, type UsageResult } from '../../../lambda/core/usage';
import { Utf8Writer } from '../../../lambda/core/utf8-writer';
import type { WorkspaceAudit, WorkspaceOutcome } from '../../../lambda/core/workspace';
import { failedWorkspace, workspace } from '../fixtures';

// ---- The reference: renderCsv as it was before cells were written as bytes. ----

function formatCost(usd: number): string {
  const cents = wholeCents(usd);
  if (cents !== null) return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const fixed = usd.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  const [whole, fraction = ''] = fixed.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

interface AgentCells {
  name: string;
  folder: string;
}

function agentCellsOf(ws: WorkspaceAudit): (agentId: string | null) => AgentCells {
  const known = new Map<string | null, AgentCells>();
  return (agentId) => {
    let cells = known.get(agentId);
    if (cells === undefined) {
      cells = { name: agentName(ws.agents, agentId) ?? '', folder: agentFolder(ws.attribution, agentId) ?? '' };
      known.set(agentId, cells);
    }
    return cells;
  };
}

function row(n: PhoneNumber, ws: WorkspaceAudit, text: CsvText, agent: AgentCells): Record<CsvColumn, string> {
  const full = text === 'full' ? n.untruncated : undefined;
  const used = ws.usage?.status === 'checked' ? ws.usage.byNumber.get(n) : undefined;
  return {
    id: n.id,
    phone_number: n.phoneNumber,
    country_code: n.countryCode,
    type: n.type,
    type_inferred: String(n.typeInferred),
    status: full?.status ?? n.status ?? '',
    inbound_agent_id: n.inboundAgentId ?? '',
    routed: String(n.inboundAgentId !== null),
    nickname: full?.nickname ?? n.nickname ?? '',
    provider: full?.provider ?? n.provider ?? '',
    monthly_cost_usd: n.monthlyCostUsd === null ? '' : formatCost(n.monthlyCostUsd),
    created_at: n.createdAt ?? '',
    cost_source: costSourceOf(n),
    inbound_agent_name: agent.name,
    workspace: ws.name,
    inbound_agent_folder: agent.folder,
    last_call_at: used?.lastCallAt ?? '',
    usage: used?.state ?? 'not_checked',
  };
}

function csvCell(cell: string, column: CsvColumn): string {
  if (cell === '') return cell;
  const c = cell.charCodeAt(0);
  const risky = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
  return quoteCsvField(risky ? neutraliseFormula(cell, column) : cell);
}

function byName(a: WorkspaceAudit, b: WorkspaceAudit): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const LINES_PER_CHUNK = 1000;
const CSV_BYTES_PER_ROW = 192;

class CsvLines {
  private readonly out: Utf8Writer;
  private lines: string[] = [];

  constructor(rows: number) {
    this.out = new Utf8Writer(1024 + rows * CSV_BYTES_PER_ROW);
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length === LINES_PER_CHUNK) this.flush();
  }

  bytes(): Buffer {
    this.flush();
    return this.out.done();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.lines.push('');
    this.out.write(this.lines.join('\r\n'));
    this.lines = [];
  }
}

function referenceCsv(workspaces: readonly WorkspaceOutcome[], text: CsvText = 'full'): Buffer {
  const audited = workspaces.filter((w): w is WorkspaceAudit => w.ok).sort(byName);
  const lines = new CsvLines(audited.reduce((rows, ws) => rows + ws.numbers.length, 0));
  lines.push(`${CSV_BOM}${CSV_COLUMNS.join(',')}`);
  const cells: string[] = new Array(CSV_COLUMNS.length);
  for (const ws of audited) {
    const agentOf = agentCellsOf(ws);
    for (const n of [...ws.numbers].sort(compareByCountryThenNumber)) {
      const byColumn = row(n, ws, text, agentOf(n.inboundAgentId));
      for (let i = 0; i < CSV_COLUMNS.length; i++) cells[i] = csvCell(byColumn[CSV_COLUMNS[i]], CSV_COLUMNS[i]);
      lines.push(cells.join(','));
    }
  }
  return lines.bytes();
}

// ---- Generated workspaces. ----

/** Quotes, commas, CR/LF, formula starts, non-Latin, astral, lone surrogates, bidi and control characters. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', ',', '\r', '\n', '=', '+', '-', '@', '\t', "'", ' ', '0', '7'),
    fc.constantFrom(
      'a',
      'Z',
      'é',
      'ß',
      'Ω',
      'ж',
      '東',
      '😀',
      '\ud800',
      '\udfff',
      '\u202e',
      '\u2066',
      '\u0000',
      '\u0085',
    ),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
  maxLength: 40,
});
/** Mostly short, sometimes far past a row's guessed size, so the buffer grows mid-file. */
const text = fc.oneof(
  { weight: 8, arbitrary: hostile },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 2000, unit: 'binary' }) },
);
const e164 = fc.stringMatching(/^\+[1-9]\d{1,14}$/);
const nearE164 = fc.constantFrom('+', '+0123', '+1', '+12345678901234567', '+1 201', '+1,2', '+١٢٣', '12015550100');
const agentIds = fc.constantFrom('agt_1', 'agt_2', '=agt', 'agt,"3"', 'constructor', '');
const cost = fc.oneof(
  fc.constantFrom(0, 0.1, 1.15, 2, 3.005, 0.005, -1.5, -0, 999_999.99, 1e6, 1e21, 1e-7, 123.456789),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const number: fc.Arbitrary<PhoneNumber> = fc.record(
  {
    id: text,
    phoneNumber: fc.oneof(e164, nearE164, text),
    countryCode: fc.oneof(fc.constantFrom('US', 'GB', 'unknown', 'AU'), text),
    countrySource: fc.constantFrom('api' as const, 'derived' as const, 'unknown' as const),
    type: fc.constantFrom(...ALL_NUMBER_TYPES),
    typeInferred: fc.boolean(),
    status: fc.option(fc.oneof(fc.constantFrom('active', 'pending', 'expired'), text)),
    inboundAgentId: fc.option(agentIds),
    nickname: fc.option(text),
    provider: fc.option(fc.oneof(fc.constantFrom('twilio', 'plivo'), text)),
    createdAt: fc.option(fc.oneof(fc.constant('2026-01-05T10:00:00Z'), text)),
    monthlyCostUsd: fc.option(cost),
    costSource: fc.constantFrom('api' as const, 'rate-card' as const, 'unknown' as const),
    untruncated: fc.record({ nickname: text, provider: text, status: text }, { requiredKeys: [] }),
  },
  {
    requiredKeys: [
      'id',
      'phoneNumber',
      'countryCode',
      'countrySource',
      'type',
      'typeInferred',
      'status',
      'inboundAgentId',
      'nickname',
      'provider',
      'createdAt',
      'monthlyCostUsd',
      'costSource',
    ],
  },
);

const usageOf = fc.record({ state: fc.constantFrom(...USAGE_STATES), lastCallAt: fc.option(text) });

const outcome: fc.Arbitrary<WorkspaceOutcome> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(failedWorkspace('Broken')) },
  {
    weight: 5,
    arbitrary: fc
      .record({
        name: fc.oneof(fc.constantFrom('Acme prod', 'Acme prod', 'Zeta'), hostile),
        numbers: fc.array(number, { maxLength: 25 }),
        // Workspaces keep their numbers sorted; sometimes they come in any order.
        sorted: fc.boolean(),
        agentNames: fc.option(fc.array(fc.tuple(agentIds, fc.option(text)), { maxLength: 5 })),
        folders: fc.option(
          fc.array(fc.tuple(agentIds, fc.constantFrom('f1', 'f,2', '=f3'), fc.option(text)), { maxLength: 5 }),
        ),
        usage: fc.option(fc.array(fc.option(usageOf), { maxLength: 25 })),
      })
      .map(({ name, numbers, sorted, agentNames, folders, usage }) => {
        const listed = sorted ? [...numbers].sort(compareByCountryThenNumber) : numbers;
        const agentList = (folders ?? []).map(([id, folderId]) => ({ id, name: null, folderId }));
        const agents =
          agentNames === null
            ? undefined
            : checkAgents(
                listed,
                agentNames.map(([id, n]) => ({ id, name: n })),
              );
        const attribution = attributeCosts(listed, {
          agents,
          agentList,
          folders:
            folders === null
              ? undefined
              : { status: 'read', folders: folders.map(([, id, folderName]) => ({ id, name: folderName })) },
        });
        const byNumber = new Map<PhoneNumber, NumberUsage>();
        listed.forEach((n, i) => {
          const u = usage?.[i];
          if (u) byNumber.set(n, u);
        });
        const checked = usage === null ? undefined : ({ status: 'checked', byNumber } as unknown as UsageResult);
        return workspace(listed, { name, agents, attribution, usage: checked });
      }),
  },
);

describe('renderCsv against the reference', () => {
  it('writes the same bytes for any workspaces, text and usage', () => {
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 4 }), fc.constantFrom<CsvText>('full', 'bounded'), (ws, mode) => {
        expect(renderCsv(ws, mode).equals(referenceCsv(ws, mode))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the same bytes for a skipped usage check and a workspace of thousands of numbers', () => {
    const many = fc.sample(number, { numRuns: 3000, seed: 42 });
    const ws = [
      workspace(many, { usage: { status: 'skipped', reason: 'no budget' } }),
      workspace([...many].sort(compareByCountryThenNumber), { name: 'Sorted' }),
    ];
    expect(renderCsv(ws).equals(referenceCsv(ws))).toBe(true);
    expect(renderCsv(ws, 'bounded').equals(referenceCsv(ws, 'bounded'))).toBe(true);
  });
});
