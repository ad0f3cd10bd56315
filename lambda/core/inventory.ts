// The internal inventory finance keeps (a CSV with phone_number and any of cost_center, owner,
// monthly_cost), reconciled with what DialNexa bills: numbers on one side only, prices that
// disagree, and spend by cost center. A malformed file is refused whole (InventoryFormatError);
// a bad row never is: it is listed with its line and why.
import { parse as parseCsv } from 'csv-parse/sync';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { boundedApiText } from './api-text';
import { compareStrings, toCents } from './audit';
import { dict } from './dict';
import { AuditError } from './errors';
import type { NumberType, PhoneNumber } from './types';

/** Larger files are refused: an inventory is a few thousand rows, never this. */
export const INVENTORY_MAX_BYTES = 50 * 1024 * 1024;
export const INVENTORY_COLUMNS = ['phone_number', 'cost_center', 'owner', 'monthly_cost'] as const;

/** The inventory file as a whole cannot be used (exit code 2 on the CLI). */
export class InventoryFormatError extends AuditError {
  readonly code = 'INVENTORY';
}

export interface InventoryEntry {
  /** 1-based line of the file the row starts on. */
  line: number;
  /** E.164. */
  phoneNumber: string;
  costCenter: string | null;
  owner: string | null;
  /** Whole cents; null when the file gives none. */
  monthlyCents: number | null;
}

export interface InvalidRow {
  line: number;
  reason: string;
}

export interface Inventory {
  /** Data rows read (valid or not), the header not counted. */
  rows: number;
  entries: InventoryEntry[];
  invalidRows: InvalidRow[];
}

export interface Reconciliation {
  rows: number;
  /** DialNexa numbers found in the inventory. */
  matched: number;
  notInDialNexa: Array<{ phoneNumber: string; line: number; costCenter: string | null; owner: string | null }>;
  notInInventory: Array<{ id: string; phoneNumber: string; countryCode: string; type: NumberType }>;
  /** DialNexa's monthly cost of the matched numbers, by the inventory's cost center. */
  byCostCenter: Record<string, { numbers: number; totalMonthly: number }>;
  /** DialNexa numbers with no cost center: not in the inventory, or in it without one. */
  unassignedCount: number;
  priceMismatches: Array<{ id: string; phoneNumber: string; inventoryMonthly: number; dialnexaMonthly: number }>;
  invalidRows: InvalidRow[];
}

/** The inventory as the run has it: read, unreadable (AWS: a bad object must not sink the report), or none. */
export type InventoryRead = { status: 'read'; inventory: Inventory } | { status: 'unreadable'; reason: string };

/** Human formatting around the digits. */
const FORMATTING = /[\s\-.()]/g;
const COST = /^\d+(\.\d+)?$/;

/** E.164 of a number written internationally (`+` or `00`), or why it is not one. */
export function e164Of(raw: string): { ok: true; e164: string } | { ok: false; reason: string } {
  const compact = raw.trim().replace(FORMATTING, '');
  const intl = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : null;
  if (intl === null) return { ok: false, reason: 'is not international: write it with + or 00 and the country code' };
  if (!/^\+[1-9]\d{1,16}$/.test(intl)) return { ok: false, reason: 'is not a phone number' };
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    parsed = parsePhoneNumberFromString(intl);
  } catch {
    parsed = undefined;
  }
  if (parsed) return { ok: true, e164: parsed.number };
  return /^\+[1-9]\d{1,14}$/.test(intl) ? { ok: true, e164: intl } : { ok: false, reason: 'is not a phone number' };
}

function records(text: string): Array<{ fields: string[]; line: number }> {
  if (text.includes('\u0000')) throw new InventoryFormatError('the inventory is not CSV text (it holds NUL bytes)');
  try {
    const options = { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, raw: true };
    const rows = parseCsv(text, options) as unknown as Array<{
      record: string[];
      info: { lines: number };
      raw: string;
    }>;
    // info.lines is where a record ends; a quoted field may span lines, and the row starts earlier.
    const spans = (raw: string) => raw.replace(/^[\r\n]+|(\r\n|\r|\n)$/g, '').split('\n').length - 1;
    return rows.map((r) => ({ fields: r.record, line: r.info.lines - spans(r.raw) }));
  } catch (error) {
    throw new InventoryFormatError(`the inventory is not valid CSV: ${(error as Error).message}`);
  }
}

/** Throws InventoryFormatError for a file over INVENTORY_MAX_BYTES; callers check before reading it. */
export function assertInventorySize(bytes: number): void {
  if (bytes > INVENTORY_MAX_BYTES) {
    throw new InventoryFormatError(
      `the inventory is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${INVENTORY_MAX_BYTES / 1024 / 1024} MB limit`,
    );
  }
}

/** Reads the file; throws InventoryFormatError when it cannot be used at all. */
export function parseInventory(content: Buffer | string): Inventory {
  assertInventorySize(typeof content === 'string' ? Buffer.byteLength(content) : content.length);
  const [header, ...data] = records(typeof content === 'string' ? content : content.toString('utf-8'));
  const names = (header?.fields ?? []).map((h) => h.trim().toLowerCase());
  const at = (column: (typeof INVENTORY_COLUMNS)[number]) => names.indexOf(column);
  if (at('phone_number') < 0) {
    throw new InventoryFormatError(
      `the inventory has no phone_number column in its header row (columns: ${INVENTORY_COLUMNS.join(', ')})`,
    );
  }
  const inventory: Inventory = { rows: data.length, entries: [], invalidRows: [] };
  const seen = new Map<string, number>();
  for (const { fields, line } of data) {
    const row = readRow(fields, line, names.length, at);
    if ('reason' in row) {
      inventory.invalidRows.push(row);
      continue;
    }
    const first = seen.get(row.phoneNumber);
    if (first !== undefined) {
      inventory.invalidRows.push({ line, reason: `${row.phoneNumber} is already on line ${first}` });
      continue;
    }
    seen.set(row.phoneNumber, line);
    inventory.entries.push(row);
  }
  return inventory;
}

function readRow(
  fields: string[],
  line: number,
  columns: number,
  at: (column: (typeof INVENTORY_COLUMNS)[number]) => number,
): InventoryEntry | InvalidRow {
  if (fields.length > columns) return { line, reason: `${fields.length} fields, the header has ${columns}` };
  const field = (column: (typeof INVENTORY_COLUMNS)[number]) => {
    const i = at(column);
    return i < 0 ? '' : (fields[i] ?? '').trim();
  };
  const raw = field('phone_number');
  if (raw === '') return { line, reason: 'phone_number is empty' };
  const number = e164Of(raw);
  const shown = boundedApiText(raw, 40).text ?? '';
  if (!number.ok) return { line, reason: `phone_number "${shown}" ${number.reason}` };
  const cost = field('monthly_cost');
  if (cost !== '' && !COST.test(cost)) {
    return { line, reason: `monthly_cost "${boundedApiText(cost, 40).text ?? ''}" is not an amount such as 1.15` };
  }
  return {
    line,
    phoneNumber: number.e164,
    costCenter: boundedApiText(field('cost_center')).text,
    owner: boundedApiText(field('owner')).text,
    monthlyCents: cost === '' ? null : toCents(Number(cost)),
  };
}

/** The DialNexa numbers against the inventory, matched on E.164. */
export function reconcile(numbers: readonly PhoneNumber[], inventory: Inventory): Reconciliation {
  const entries = new Map(inventory.entries.map((e) => [e.phoneNumber, e]));
  const found = new Set<string>();
  const centers = new Map<string, { numbers: number; cents: number }>();
  const out: Reconciliation = {
    rows: inventory.rows,
    matched: 0,
    notInDialNexa: [],
    notInInventory: [],
    byCostCenter: dict(),
    unassignedCount: 0,
    priceMismatches: [],
    invalidRows: inventory.invalidRows,
  };
  for (const n of numbers) {
    const key = e164Of(n.phoneNumber);
    const entry = key.ok ? entries.get(key.e164) : undefined;
    if (entry === undefined) {
      out.unassignedCount += 1;
      out.notInInventory.push({ id: n.id, phoneNumber: n.phoneNumber, countryCode: n.countryCode, type: n.type });
      continue;
    }
    out.matched += 1;
    found.add(entry.phoneNumber);
    const cents = n.monthlyCostUsd === null ? null : toCents(n.monthlyCostUsd);
    if (entry.costCenter === null) out.unassignedCount += 1;
    else {
      const c = centers.get(entry.costCenter) ?? { numbers: 0, cents: 0 };
      c.numbers += 1;
      c.cents += cents ?? 0;
      centers.set(entry.costCenter, c);
    }
    if (entry.monthlyCents !== null && cents !== null && entry.monthlyCents !== cents) {
      out.priceMismatches.push({
        id: n.id,
        phoneNumber: n.phoneNumber,
        inventoryMonthly: entry.monthlyCents / 100,
        dialnexaMonthly: cents / 100,
      });
    }
  }
  for (const e of inventory.entries) {
    if (!found.has(e.phoneNumber))
      out.notInDialNexa.push({ phoneNumber: e.phoneNumber, line: e.line, costCenter: e.costCenter, owner: e.owner });
  }
  const sorted = [...centers].sort(([a, x], [b, y]) => y.cents - x.cents || (a < b ? -1 : a > b ? 1 : 0));
  out.byCostCenter = dict(sorted.map(([cc, c]) => [cc, { numbers: c.numbers, totalMonthly: c.cents / 100 }]));
  // By number, then id: numbers that share a phone number keep one order whatever the listing's.
  const byNumber = (a: { phoneNumber: string; id: string }, b: { phoneNumber: string; id: string }) =>
    compareStrings(a.phoneNumber, b.phoneNumber) || compareStrings(a.id, b.id);
  out.notInInventory.sort(byNumber);
  out.priceMismatches.sort(byNumber);
  return out;
}

/** Numbers on one side only, or priced differently: what the `unreconciled` trigger fires on. */
export function isUnreconciled(r: Reconciliation): boolean {
  return r.notInDialNexa.length > 0 || r.notInInventory.length > 0 || r.priceMismatches.length > 0;
}
