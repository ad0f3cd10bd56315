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
/** About how many bytes a number takes in the file (most take 150-200). */
const TYPICAL_NUMBER_BYTES = 170;
/** A first guess at a number's size in the file, over most; the buffer grows past it if needed. */
const SNAPSHOT_BYTES_PER_NUMBER = 224;

/** About how many numbers a snapshot file of `bytes` holds. */
export function numbersInFile(bytes: number): number {
  return bytes / TYPICAL_NUMBER_BYTES;
}

/** After the numbers: the array's and the object's ends, and the newline serializeSnapshot adds. */
const FILE_END = ']}\n';
/** The longest date toISOString writes (an extended year), so a head always fits the room kept for it. */
const LONGEST_DATE = '+275760-09-13T00:00:00.000Z';

/** Everything before the first number: `{...,"numbers":[]}` less its last two characters. */
function fileHead(workspace: string, generatedAt: string, complete: boolean): string {
  return JSON.stringify(snapshotOf(workspace, generatedAt, complete, [])).slice(0, -2);
}

/**
 * A workspace's snapshot file before its date is known: the numbers written, with room kept in
 * front for the head. The changes compare these bytes with last week's file, number by number, so
 * a number that did not change is never decoded; the archive's file is then this with its head.
 */
export class SnapshotDraft {
  private bytes: Buffer | undefined;

  /** `room` bytes kept for the head, then the numbers, then FILE_END. */
  constructor(
    readonly workspace: string,
    /** The numbers written, in this order: the draft's numbers are theirs, one for one. */
    readonly of: readonly PhoneNumber[],
    /**
     * Every number has values the snapshot's schema accepts (no empty id, say), so bytes in a file
     * that equal one of them are a number as written without being parsed.
     */
    readonly valid: boolean,
    bytes: Buffer,
    private readonly room: number,
  ) {
    this.bytes = bytes;
  }

  /** The numbers' text, `{...},{...}` as the file has it (empty for none). */
  get numbers(): Buffer {
    const bytes = this.unspent();
    return bytes.subarray(this.room, bytes.length - FILE_END.length);
  }

  /** The whole file (serializeSnapshot of toSnapshot, in UTF-8): the head is written into the room kept for it. Once only. */
  file(generatedAt: Date, complete: boolean): Buffer {
    const bytes = this.unspent();
    this.bytes = undefined;
    const head = fileHead(this.workspace, generatedAt.toISOString(), complete);
    const start = this.room - Buffer.byteLength(head);
    // Never short (the room fits the longest head); checked all the same, as writing would overwrite numbers.
    if (start < 0) return Buffer.concat([Buffer.from(head), bytes.subarray(this.room)]);
    bytes.write(head, start);
    return bytes.subarray(start);
  }

  /** The file was made from it (file() hands its bytes over). */
  get spent(): boolean {
    return this.bytes === undefined;
  }

  /** Never in a JSON output: a run's result may be serialized whole. */
  toJSON(): undefined {
    return undefined;
  }

  private unspent(): Buffer {
    if (this.bytes === undefined) throw new Error('SnapshotDraft: the file was already made from this draft (a bug)');
    return this.bytes;
  }
}

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
  const draft =
    snapshotDraft(workspace, numbers, partSize) ??
    // The same stable sort over the same keys as toSnapshot, so the same order.
    snapshotDraft(workspace, [...numbers].sort(compareByCountryThenNumber), partSize);
  if (draft === null) throw new Error('snapshotFile: numbers sorted for the snapshot were out of order (a bug)');
  return draft.file(generatedAt, complete);
}

/**
 * The draft for numbers already in snapshot order (as a workspace keeps them), or null as soon as
 * two are out of order. Checked here, on each part's fresh objects, rather than by sorting a copy
 * of them all first: the sort of a sorted list is a pass of its own over 100k scattered numbers.
 */
export function snapshotDraft(
  workspace: string,
  numbers: readonly PhoneNumber[],
  partSize = SNAPSHOT_PART_NUMBERS,
): SnapshotDraft | null {
  const room = Buffer.byteLength(fileHead(workspace, LONGEST_DATE, false));
  const out = new Utf8Writer(room + numbers.length * SNAPSHOT_BYTES_PER_NUMBER + FILE_END.length);
  out.write(' '.repeat(room));
  let last: SnapshotNumber | undefined;
  let valid = true;
  for (let start = 0; start < numbers.length; start += partSize) {
    const part = numbers.slice(start, start + partSize).map(toSnapshotNumber);
    for (const n of part) {
      if (last !== undefined && compareByCountryThenNumber(last, n) > 0) return null;
      last = n;
      valid &&= hasSchemaValues(n);
    }
    if (start > 0) out.write(',');
    // `[a,b,...]` less its brackets: the same text as these numbers inside the whole array.
    out.write(JSON.stringify(part).slice(1, -1));
  }
  out.write(FILE_END);
  return new SnapshotDraft(workspace, numbers, valid, out.done(), room);
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
  return i === NUMBER_KEYS.length && hasSchemaValues(n as Record<keyof SnapshotNumber, unknown>);
}

/** The values numberSchema accepts, whatever the keys' order. */
function hasSchemaValues(o: Record<keyof SnapshotNumber, unknown>): boolean {
  return (
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

/** How every number as written begins. */
const ID_OPENING = '{"id":"';
/**
 * Between two numbers as written: in valid JSON a `"` inside a string is escaped, so this is
 * structural. Searched in the file's bytes: an ASCII byte is never part of a multi-byte UTF-8
 * character, nor swallowed by the U+FFFD an invalid sequence decodes to, so ASCII found in the
 * bytes is that ASCII in the decoded text, and text between two such places decodes on its own.
 */
const NUMBER_SEPARATOR = Buffer.from(`},${ID_OPENING}`);
const NUMBERS_OPENING = Buffer.from(',"numbers":[');
const BRACKET = 0x5d;
const BRACE = 0x7d;
const NEWLINE = 0x0a;

/** Where a complete snapshot file as written has its numbers (bytes from .. to), and its date. */
export interface WrittenSnapshot {
  generatedAt: string;
  from: number;
  to: number;
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
export function writtenSnapshot(bytes: Buffer): WrittenSnapshot | null {
  const open = bytes.indexOf(NUMBERS_OPENING);
  const to = numbersEnd(bytes);
  const from = open + NUMBERS_OPENING.length;
  if (open === -1 || to < from) return null;
  const head = bytes.toString('utf8', 0, from);
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
  return { generatedAt, from, to };
}

/**
 * The numbers in `bytes` between `from` and `to`, one at a time: each is cut before the separator
 * that follows it, found in the bytes, so a number is decoded only when it is parsed. Numbers
 * that each parse as written, joined by commas, are the valid array.
 */
export class WrittenNumbers {
  /** The current number's place in the list, and its bytes: [start, end). */
  index = 0;
  start: number;
  end: number;

  constructor(
    private readonly bytes: Buffer,
    from: number,
    private readonly to: number,
  ) {
    this.start = from;
    this.end = this.endOf(from);
  }

  get done(): boolean {
    return this.start >= this.to;
  }

  /** On to the next number (its bytes start after the comma). */
  next(): void {
    this.index += 1;
    this.start = this.end + 1;
    this.end = this.endOf(this.start);
  }

  /** Where the current number's id starts, after `{"id":"` (as every number as written begins). */
  get idStart(): number {
    return this.start + ID_OPENING.length;
  }

  /** Moves on to the number at `index`, if the list has one. */
  seek(index: number): boolean {
    while (this.index < index && !this.done) this.next();
    return this.index === index && !this.done;
  }

  /** The current numbers of both lists are the same bytes, so the same number with the same fields. */
  sameAs(other: WrittenNumbers): boolean {
    return (
      this.end - this.start === other.end - other.start &&
      this.bytes.compare(other.bytes, other.start, other.end, this.start, this.end) === 0
    );
  }

  /** The current number, decoded and parsed; null when it is not a number as this code writes it. */
  parse(): SnapshotNumber | null {
    let n: unknown;
    try {
      n = JSON.parse(this.bytes.toString('utf8', this.start, this.end));
    } catch {
      return null;
    }
    return isWrittenNumber(n) ? n : null;
  }

  /** At a separator a number ends with its `}`; the last one ends where the list does. */
  private endOf(start: number): number {
    if (start >= this.to) return this.to;
    const at = this.bytes.indexOf(NUMBER_SEPARATOR, start);
    return at === -1 || at >= this.to ? this.to : at + 1;
  }
}
