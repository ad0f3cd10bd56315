// The whole inventory as RFC 4180 CSV: CRLF line ends, fields quoted when they hold , " CR or LF,
// quotes doubled. It starts with a UTF-8 byte order mark because Excel reads a BOM-less CSV in the
// local ANSI code page and garbles non-Latin nicknames; most CSV readers skip the BOM (Python:
// encoding='utf-8-sig').
import { agentName } from '../agents';
import { agentFolder } from '../attribution';
import { compareByCountryThenNumber, costSourceOf, wholeCents } from '../audit';
import type { PhoneNumber } from '../types';
import { Utf8Writer } from '../utf8-writer';
import type { WorkspaceAudit, WorkspaceOutcome } from '../workspace';

export const CSV_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'id',
  'phone_number',
  'country_code',
  'type',
  'type_inferred',
  'status',
  'inbound_agent_id',
  'routed',
  'nickname',
  'provider',
  'monthly_cost_usd',
  'created_at',
  // Appended, never inserted, so scripts that read the first twelve columns by position keep working.
  'cost_source',
  'inbound_agent_name',
  'workspace',
  'inbound_agent_folder',
  'last_call_at',
  'usage',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

const E164 = /^\+[1-9]\d{1,14}$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Formula-injection policy: a spreadsheet runs a cell that starts with = + - @ (and, in some
 * apps, TAB or CR) as a formula, so any such cell is prefixed with a single quote, which makes
 * the spreadsheet show it as text. This covers every column that carries API text (id,
 * nickname, provider, status, agent id, ...).
 *
 * Exception: the phone_number column keeps a strict E.164 value (`+` then digits only) as is,
 * so the numbers stay usable by scripts and imports. A bare `+` followed by digits can call no
 * function; the worst a spreadsheet does is read `+447911123456` as the number 447911123456 and
 * drop the `+` on display, which we accept. Anything else in that column is neutralised too.
 */
export function neutraliseFormula(cell: string, column?: CsvColumn): string {
  if (column === 'phone_number' && E164.test(cell)) return cell;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 quoting. */
export function quoteCsvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Plain decimal (never exponent notation), no trailing zeros beyond cents. */
function formatCost(usd: number): string {
  // Whole cents (the common case) need no decimal string surgery: the same text, from the integer.
  const cents = wholeCents(usd);
  if (cents !== null) return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const fixed = usd.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  const [whole, fraction = ''] = fixed.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * `full`: nicknames, providers and statuses as the API gave them (cleaned), however long; `bounded`:
 * as the email shows them, cut to API_TEXT_MAX_CHARS. The email carries the full CSV while it fits.
 */
export type CsvText = 'full' | 'bounded';

/** An inbound agent's name and folder cells. */
interface AgentCells {
  name: string;
  folder: string;
}

/** Each agent's cells looked up once per rendering: a workspace has a few hundred agents and 100k numbers. */
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

/**
 * quoteCsvField(neutraliseFormula(cell, column)), with the common case (nothing to neutralise)
 * decided by one character code: 1.5 million cells per 100k numbers.
 */
function csvCell(cell: string, column: CsvColumn): string {
  if (cell === '') return cell;
  const c = cell.charCodeAt(0);
  // = + - @ TAB CR
  const risky = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
  return quoteCsvField(risky ? neutraliseFormula(cell, column) : cell);
}

/** True when some number has a text that the `bounded` CSV would cut. */
export function hasCutText(workspaces: readonly WorkspaceOutcome[]): boolean {
  return workspaces.some((w) => w.ok && w.numbers.some((n) => n.untruncated !== undefined));
}

/** Plain code-unit order, so no locale can reorder the rows. */
function byName(a: WorkspaceAudit, b: WorkspaceAudit): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Lines per encoded chunk (~170 KB of text). */
const LINES_PER_CHUNK = 1000;
/** A first guess at a row's size in bytes (most are 150-200); the buffer grows past it if needed. */
const CSV_BYTES_PER_ROW = 192;

/**
 * CRLF-terminated lines, encoded to UTF-8 a thousand at a time. Kept as one string, 100k rows are
 * 34 MB (two bytes a character once one nickname is outside Latin-1) on top of 100k line strings
 * that live long enough to be copied into old space; as bytes they are 17 MB, ready to gzip or write.
 */
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

/**
 * Every number of every audited workspace (failed ones have none), by workspace, country, number,
 * as the file's UTF-8 bytes.
 */
export function renderCsv(workspaces: readonly WorkspaceOutcome[], text: CsvText = 'full'): Buffer {
  const audited = workspaces.filter((w): w is WorkspaceAudit => w.ok).sort(byName);
  const lines = new CsvLines(audited.reduce((rows, ws) => rows + ws.numbers.length, 0));
  lines.push(`${CSV_BOM}${CSV_COLUMNS.join(',')}`);
  const cells: string[] = new Array(CSV_COLUMNS.length);
  for (const ws of audited) {
    const agentOf = agentCellsOf(ws);
    for (const n of [...ws.numbers].sort(compareByCountryThenNumber)) {
      const byColumn = row(n, ws, text, agentOf(n.inboundAgentId));
      for (let i = 0; i < CSV_COLUMNS.length; i++) cells[i] = csvCell(byColumn[CSV_COLUMNS[i]], CSV_COLUMNS[i]);
      // One flat string per line from a reused array: no string per cell kept, no tree of joins.
      lines.push(cells.join(','));
    }
  }
  return lines.bytes();
}
