// The whole inventory as RFC 4180 CSV: CRLF line ends, fields quoted when they hold , " CR or LF,
// quotes doubled. It starts with a UTF-8 byte order mark because Excel reads a BOM-less CSV in the
// local ANSI code page and garbles non-Latin nicknames; most CSV readers skip the BOM (Python:
// encoding='utf-8-sig').
import { agentName } from '../agents';
import { agentFolder } from '../attribution';
import { compareByCountryThenNumber, costSourceOf, wholeCents } from '../audit';
import { isStrictE164 } from '../e164';
import type { PhoneNumber, UntruncatedText } from '../types';
import type { NumberUsage } from '../usage';
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
  if (column === 'phone_number' && isStrictE164(cell)) return cell;
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

/**
 * quoteCsvField(neutraliseFormula(cell, column)), with the common case (nothing to neutralise)
 * decided by one character code. The slow path of every cell the writer does not pass as it is.
 */
function csvCell(cell: string, column?: CsvColumn): string {
  if (cell === '') return cell;
  const c = cell.charCodeAt(0);
  return quoteCsvField(isFormulaStart(c) ? neutraliseFormula(cell, column) : cell);
}

/** = + - @ TAB CR, as FORMULA_START. */
function isFormulaStart(c: number): boolean {
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/** `"` `,` CR LF, as quoteCsvField's test, or outside ASCII (which only the native encoder writes). */
function isSpecial(c: number): boolean {
  return c >= 128 || c === 34 || c === 44 || c === 13 || c === 10;
}

/**
 * How a column's cells reach the file:
 * - `text`: anything (API text, dates, costs): neutralised and quoted as needed;
 * - `phone`: as `text` but a strict E.164 value stays as is (neutraliseFormula's exception);
 * - `safe`: a value that can need neither, provably from its type (a literal union of plain
 *   lower-case words, `true`/`false`), or one already passed through csvCell.
 */
type CellKind = 'text' | 'phone' | 'safe';

/** What a row's cells are read from besides the number: set once per workspace, agent and number. */
interface RowSource {
  n: PhoneNumber;
  /** The uncut texts when the CSV is `full` and some were cut. */
  full: UntruncatedText | undefined;
  used: NumberUsage | undefined;
  agent: AgentCells;
  /** The workspace's name, through csvCell. */
  workspace: string;
}

interface ColumnCell {
  kind: CellKind;
  cell: (r: RowSource) => string;
}

/** Every column's cell; CSV_COLUMNS gives their order. */
const CELLS: Record<CsvColumn, ColumnCell> = {
  id: { kind: 'text', cell: (r) => r.n.id },
  phone_number: { kind: 'phone', cell: (r) => r.n.phoneNumber },
  country_code: { kind: 'text', cell: (r) => r.n.countryCode },
  type: { kind: 'safe', cell: (r) => r.n.type },
  type_inferred: { kind: 'safe', cell: (r) => (r.n.typeInferred ? 'true' : 'false') },
  status: { kind: 'text', cell: (r) => r.full?.status ?? r.n.status ?? '' },
  inbound_agent_id: { kind: 'text', cell: (r) => r.n.inboundAgentId ?? '' },
  routed: { kind: 'safe', cell: (r) => (r.n.inboundAgentId !== null ? 'true' : 'false') },
  nickname: { kind: 'text', cell: (r) => r.full?.nickname ?? r.n.nickname ?? '' },
  provider: { kind: 'text', cell: (r) => r.full?.provider ?? r.n.provider ?? '' },
  monthly_cost_usd: { kind: 'text', cell: (r) => (r.n.monthlyCostUsd === null ? '' : formatCost(r.n.monthlyCostUsd)) },
  created_at: { kind: 'text', cell: (r) => r.n.createdAt ?? '' },
  cost_source: { kind: 'safe', cell: (r) => costSourceOf(r.n) },
  inbound_agent_name: { kind: 'safe', cell: (r) => r.agent.name },
  workspace: { kind: 'safe', cell: (r) => r.workspace },
  inbound_agent_folder: { kind: 'safe', cell: (r) => r.agent.folder },
  last_call_at: { kind: 'text', cell: (r) => r.used?.lastCallAt ?? '' },
  usage: { kind: 'safe', cell: (r) => r.used?.state ?? 'not_checked' },
};

const COLUMN_CELLS: readonly ColumnCell[] = CSV_COLUMNS.map((c) => CELLS[c]);

/** An inbound agent's name and folder cells, through csvCell. */
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
      cells = {
        name: csvCell(agentName(ws.agents, agentId) ?? ''),
        folder: csvCell(agentFolder(ws.attribution, agentId) ?? ''),
      };
      known.set(agentId, cells);
    }
    return cells;
  };
}

/** True when some number has a text that the `bounded` CSV would cut. */
export function hasCutText(workspaces: readonly WorkspaceOutcome[]): boolean {
  return workspaces.some((w) => w.ok && w.numbers.some((n) => n.untruncated !== undefined));
}

/** Plain code-unit order, so no locale can reorder the rows. */
function byName(a: WorkspaceAudit, b: WorkspaceAudit): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A first guess at a row's size in bytes (most are 150-200); the buffer grows past it if needed. */
const CSV_BYTES_PER_ROW = 192;

/**
 * Cells copied straight into the file's UTF-8 bytes: an ASCII cell that needs neither neutralising
 * nor quoting (nearly all of them) is found so by the same loop that copies it, and no string is
 * made per row or line. Any other cell goes through csvCell and the native encoder.
 */
class CsvWriter extends Utf8Writer {
  /** One cell, then `,` or, after the last, CRLF. */
  cell(s: string, kind: CellKind, last: boolean): void {
    // Three bytes per UTF-16 unit at most (a doubled `"` is two), `"'` and `"` around it, CRLF.
    this.reserve(s.length * 3 + 5);
    if (kind === 'safe' || (kind === 'phone' && isStrictE164(s))) this.verbatim(s);
    else this.text(s);
    if (last) {
      this.buffer[this.used++] = 13;
      this.buffer[this.used++] = 10;
    } else {
      this.buffer[this.used++] = 44;
    }
  }

  private text(s: string): void {
    const end = s.length > 0 && isFormulaStart(s.charCodeAt(0)) ? -1 : copyPlain(this.buffer, this.used, s);
    if (end < 0) this.native(csvCell(s));
    else this.used = end;
  }

  private verbatim(s: string): void {
    const end = copyAscii(this.buffer, this.used, s);
    if (end < 0) this.native(s);
    else this.used = end;
  }

  /** Room was reserved by `cell`. */
  private native(s: string): void {
    this.used += this.buffer.write(s, this.used);
  }
}

/**
 * Copies `s` into `buffer` from `at` when it is ASCII with no `"` `,` CR or LF: the end, else -1
 * (the bytes copied so far are overwritten by whatever is written instead).
 */
function copyPlain(buffer: Uint8Array, at: number, s: string): number {
  let end = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSpecial(c)) return -1;
    buffer[end++] = c;
  }
  return end;
}

/** Copies `s` into `buffer` from `at` when it is ASCII: the end, else -1 (as copyPlain). */
function copyAscii(buffer: Uint8Array, at: number, s: string): number {
  let end = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return -1;
    buffer[end++] = c;
  }
  return end;
}

/**
 * Writes the workspace's rows when its numbers are in compareByCountryThenNumber order (as a
 * workspace keeps them); false as soon as two are not. Checked on the way, as snapshotFile does:
 * a pass of its own would read 100k scattered numbers once more.
 */
function writeWorkspace(out: CsvWriter, ws: WorkspaceAudit, numbers: readonly PhoneNumber[], text: CsvText): boolean {
  const agentOf = agentCellsOf(ws);
  const usage = ws.usage?.status === 'checked' ? ws.usage.byNumber : undefined;
  const last = COLUMN_CELLS.length - 1;
  // One source reused for every row: no object per row.
  let source: RowSource | undefined;
  for (const n of numbers) {
    const full = text === 'full' ? n.untruncated : undefined;
    const agent = agentOf(n.inboundAgentId);
    const used = usage?.get(n);
    if (source === undefined) source = { n, full, used, agent, workspace: csvCell(ws.name) };
    else if (compareByCountryThenNumber(source.n, n) > 0) return false;
    else {
      source.n = n;
      source.full = full;
      source.used = used;
      source.agent = agent;
    }
    for (let i = 0; i <= last; i++) {
      const column = COLUMN_CELLS[i] as ColumnCell;
      out.cell(column.cell(source), column.kind, i === last);
    }
  }
  return true;
}

/** The file, or null when some workspace's numbers were not in order and `sort` was false. */
function csvFile(audited: readonly WorkspaceAudit[], text: CsvText, sort: boolean): Buffer | null {
  const out = new CsvWriter(1024 + audited.reduce((rows, ws) => rows + ws.numbers.length, 0) * CSV_BYTES_PER_ROW);
  out.write(`${CSV_BOM}${CSV_COLUMNS.join(',')}\r\n`);
  for (const ws of audited) {
    const numbers = sort ? [...ws.numbers].sort(compareByCountryThenNumber) : ws.numbers;
    if (!writeWorkspace(out, ws, numbers, text)) return null;
  }
  return out.done();
}

/**
 * Every number of every audited workspace (failed ones have none), by workspace, country, number,
 * as the file's UTF-8 bytes.
 */
export function renderCsv(workspaces: readonly WorkspaceOutcome[], text: CsvText = 'full'): Buffer {
  const audited = workspaces.filter((w): w is WorkspaceAudit => w.ok).sort(byName);
  // A stable sort leaves numbers already in order as they are: the file is the same either way.
  const file = csvFile(audited, text, false) ?? csvFile(audited, text, true);
  if (file === null) throw new Error('renderCsv: numbers sorted for the CSV were out of order (a bug)');
  return file;
}
