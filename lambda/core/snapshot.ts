// The slice of a run kept as the baseline for next week's "changes": only the fields a change is
// detected on, so the file stays small and its schema stays stable.
import * as z from 'zod';
import { compareByCountryThenNumber } from './audit';
import { Utf8Writer } from './utf8-writer';
import { ALL_NUMBER_TYPES, type NumberType, type PhoneNumber } from './types';

export const SNAPSHOT_SCHEMA_VERSION = 1;
export const SNAPSHOT_FILE = 'snapshot.json';

export interface SnapshotNumber {
  id: string;
  phoneNumber: string;
  countryCode: string;
  type: NumberType;
  status: string | null;
  inboundAgentId: string | null;
  nickname: string | null;
}

export interface Snapshot {
  schemaVersion: 1;
  workspace: string;
  /** ISO 8601 instant. */
  generatedAt: string;
  complete: boolean;
  /** Sorted by country (`unknown` last), then number, then id. */
  numbers: SnapshotNumber[];
}

export type SnapshotParse = { ok: true; snapshot: Snapshot } | { ok: false; reason: string };

/** The fields of a number a change is detected on. */
export function toSnapshotNumber(n: PhoneNumber): SnapshotNumber {
  return {
    id: n.id,
    phoneNumber: n.phoneNumber,
    countryCode: n.countryCode,
    type: n.type,
    status: n.status,
    inboundAgentId: n.inboundAgentId,
    nickname: n.nickname,
  };
}

export function toSnapshot(
  workspace: string,
  generatedAt: Date,
  complete: boolean,
  numbers: readonly PhoneNumber[],
): Snapshot {
  return snapshotOf(
    workspace,
    generatedAt.toISOString(),
    complete,
    numbers.map(toSnapshotNumber).sort(compareByCountryThenNumber),
  );
}

/** A snapshot's fields in the order the file has them. */
function snapshotOf(workspace: string, generatedAt: string, complete: boolean, numbers: SnapshotNumber[]): Snapshot {
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, workspace, generatedAt, complete, numbers };
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot)}\n`;
}

/**
 * Numbers per encoded part of the snapshot file: a part's text (~45 KB, twice that outside
 * Latin-1) stays under V8's large-object size (128 KB), so it dies in the young generation
 * instead of waiting in old space for a full collection.
 */
const SNAPSHOT_PART_NUMBERS = 250;
/** A first guess at a number's size in the file (most are 150-200 bytes); the buffer grows past it if needed. */
const SNAPSHOT_BYTES_PER_NUMBER = 224;

/**
 * `serializeSnapshot(toSnapshot(...))` as UTF-8, byte for byte, encoded in parts: as one string the
 * file is 17 MB of text at 100k numbers (34 MB once one nickname is outside Latin-1), on top of
 * 100k snapshot objects, all alive at once. Here each part's objects and text die young.
 */
export function snapshotFile(
  workspace: string,
  generatedAt: Date,
  complete: boolean,
  numbers: readonly PhoneNumber[],
  partSize = SNAPSHOT_PART_NUMBERS,
): Buffer {
  const head = JSON.stringify(toSnapshot(workspace, generatedAt, complete, []));
  const inOrder = sortedSnapshotFile(head, numbers, partSize);
  if (inOrder !== null) return inOrder;
  // The same stable sort over the same keys as toSnapshot, so the same order.
  const sorted = sortedSnapshotFile(head, [...numbers].sort(compareByCountryThenNumber), partSize);
  if (sorted === null) throw new Error('snapshotFile: numbers sorted for the snapshot were out of order (a bug)');
  return sorted;
}

/**
 * The file for numbers already in snapshot order (as a workspace keeps them), or null as soon as
 * two are out of order. Checked here, on each part's fresh objects, rather than by sorting a copy
 * of them all first: the sort of a sorted list is a pass of its own over 100k scattered numbers.
 */
function sortedSnapshotFile(head: string, numbers: readonly PhoneNumber[], partSize: number): Buffer | null {
  const out = new Utf8Writer(256 + numbers.length * SNAPSHOT_BYTES_PER_NUMBER);
  // `{...,"numbers":[]}` less its last two characters: everything up to the first number.
  out.write(head.slice(0, -2));
  let last: SnapshotNumber | undefined;
  for (let start = 0; start < numbers.length; start += partSize) {
    const part = numbers.slice(start, start + partSize).map(toSnapshotNumber);
    for (const n of part) {
      if (last !== undefined && compareByCountryThenNumber(last, n) > 0) return null;
      last = n;
    }
    if (start > 0) out.write(',');
    // `[a,b,...]` less its brackets: the same text as these numbers inside the whole array.
    out.write(JSON.stringify(part).slice(1, -1));
  }
  out.write(']}\n');
  return out.done();
}

const numberSchema = z.object({
  id: z.string().min(1),
  phoneNumber: z.string().min(1),
  countryCode: z.string().min(1),
  type: z.enum(ALL_NUMBER_TYPES as [NumberType, ...NumberType[]]),
  status: z.string().nullable(),
  inboundAgentId: z.string().nullable(),
  nickname: z.string().nullable(),
});

const snapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  workspace: z.string(),
  generatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  complete: z.boolean(),
  numbers: z.array(numberSchema),
});

const INCOMPLETE_BASELINE = 'the previous run was incomplete, so it is not used as a baseline';

/** The keys of a snapshot number, in the schema's order (which toSnapshotNumber writes too). */
const NUMBER_KEYS = Object.keys(numberSchema.shape);
const KNOWN_TYPES: ReadonlySet<unknown> = new Set(ALL_NUMBER_TYPES);

const isFilled = (v: unknown) => typeof v === 'string' && v !== '';
const isNullableString = (v: unknown) => v === null || typeof v === 'string';

/** Exactly what numberSchema accepts and outputs, keys in its order, so the object can be used as it is. */
function isWrittenNumber(n: unknown): n is SnapshotNumber {
  if (typeof n !== 'object' || n === null || Array.isArray(n)) return false;
  let i = 0;
  for (const key in n) if (key !== NUMBER_KEYS[i++]) return false;
  const o = n as Record<string, unknown>;
  return (
    i === NUMBER_KEYS.length &&
    isFilled(o.id) &&
    isFilled(o.phoneNumber) &&
    isFilled(o.countryCode) &&
    KNOWN_TYPES.has(o.type) &&
    isNullableString(o.status) &&
    isNullableString(o.inboundAgentId) &&
    isNullableString(o.nickname)
  );
}

/**
 * A snapshot as this code writes it, checked in place: zod would copy 100k numbers (~100 ms and a
 * second copy in memory). Null for anything else, which then goes through the schema and its reasons.
 */
function asWrittenSnapshot(raw: object): Snapshot | null {
  const { workspace, generatedAt, complete, numbers } = raw as Record<string, unknown>;
  if (typeof workspace !== 'string' || typeof generatedAt !== 'string' || Number.isNaN(Date.parse(generatedAt)))
    return null;
  if (typeof complete !== 'boolean' || !Array.isArray(numbers)) return null;
  for (const n of numbers) if (!isWrittenNumber(n)) return null;
  return snapshotOf(workspace, generatedAt, complete, numbers);
}

/**
 * Never throws: a bad baseline must only cost this week's "changes" section, so every failure
 * comes back as a reason short enough for one warning line in the report.
 */
export function parseSnapshot(text: string): SnapshotParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the previous snapshot is not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'the previous snapshot is not a JSON object' };
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number') return { ok: false, reason: 'the previous snapshot has no schemaVersion' };
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    const age = version < SNAPSHOT_SCHEMA_VERSION ? 'an older' : 'a newer';
    return {
      ok: false,
      reason: `the previous snapshot uses ${age} schema (version ${version}; this version reads ${SNAPSHOT_SCHEMA_VERSION})`,
    };
  }
  const fast = asWrittenSnapshot(raw);
  if (fast !== null) {
    return fast.complete ? { ok: true, snapshot: fast } : { ok: false, reason: INCOMPLETE_BASELINE };
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, reason: `the previous snapshot is malformed${where}: ${issue?.message ?? 'invalid'}` };
  }
  if (!parsed.data.complete) {
    return { ok: false, reason: INCOMPLETE_BASELINE };
  }
  return { ok: true, snapshot: parsed.data as Snapshot };
}

/**
 * Between two numbers as written: in valid JSON a `"` inside a string is escaped, so this is
 * structural. Searched in the file's bytes: an ASCII byte is never part of a multi-byte UTF-8
 * character, nor swallowed by the U+FFFD an invalid sequence decodes to, so ASCII found in the
 * bytes is that ASCII in the decoded text, and text between two such places decodes on its own.
 */
const NUMBER_SEPARATOR = Buffer.from('},{"id":"');
const NUMBERS_OPENING = Buffer.from(',"numbers":[');
const BRACKET = 0x5d;
const BRACE = 0x7d;
const NEWLINE = 0x0a;

/** A complete snapshot laid out as snapshotFile writes it, read a part of its numbers at a time. */
export interface WrittenSnapshotParts {
  generatedAt: string;
  /** Each part's numbers in file order; null for a part that is not as written (stop there). */
  parts: Iterable<SnapshotNumber[] | null>;
}

/** Where the numbers end: before the file's closing `]}` and its newline, if any; -1 without them. */
function numbersEnd(bytes: Buffer): number {
  const n = bytes.length - (bytes[bytes.length - 1] === NEWLINE ? 1 : 0);
  return n >= 2 && bytes[n - 2] === BRACKET && bytes[n - 1] === BRACE ? n - 2 : -1;
}

/**
 * The head of a complete snapshot file as written, or null for anything else (a hand-edited,
 * incomplete or foreign file), which the caller then decodes whole and reads with parseSnapshot.
 */
export function writtenSnapshotParts(bytes: Buffer, partSize = SNAPSHOT_PART_NUMBERS): WrittenSnapshotParts | null {
  const open = bytes.indexOf(NUMBERS_OPENING);
  const end = numbersEnd(bytes);
  const first = open + NUMBERS_OPENING.length;
  if (open === -1 || end < first) return null;
  const head = bytes.toString('utf8', 0, first);
  let fields: unknown;
  try {
    fields = JSON.parse(`${head.slice(0, -NUMBERS_OPENING.length)}}`);
  } catch {
    return null;
  }
  const { workspace, generatedAt } = fields as Record<string, unknown>;
  if (typeof workspace !== 'string' || typeof generatedAt !== 'string' || Number.isNaN(Date.parse(generatedAt)))
    return null;
  // Exactly the text this code writes for that head of a complete run, so the whole file parses to it too.
  if (`${head}]}` !== JSON.stringify(snapshotOf(workspace, generatedAt, true, []))) return null;
  return { generatedAt, parts: numberParts(bytes, first, end, partSize) };
}

/**
 * The numbers between `from` and `to`, cut before every partSize-th separator. Each part is
 * decoded and parsed on its own (a string of ~50-100 KB that dies young) and must hold numbers as
 * written: valid parts joined by commas are the valid array.
 */
function* numberParts(bytes: Buffer, from: number, to: number, partSize: number): Generator<SnapshotNumber[] | null> {
  let start = from;
  while (start < to) {
    let cut = start;
    for (let k = 0; k < partSize && cut !== -1; k++) {
      cut = bytes.indexOf(NUMBER_SEPARATOR, cut + 1);
      if (cut >= to) cut = -1;
    }
    // At a separator the part ends with its `}` and the next one starts after the comma.
    const stop = cut === -1 ? to : cut + 1;
    let part: unknown;
    try {
      part = JSON.parse(`[${bytes.toString('utf8', start, stop)}]`);
    } catch {
      yield null;
      return;
    }
    // Cut only at separators, so no part is empty unless the whole list is (and then `[ ]` is what it says).
    if (!Array.isArray(part) || !part.every(isWrittenNumber)) {
      yield null;
      return;
    }
    yield part;
    start = stop + 1;
  }
}
