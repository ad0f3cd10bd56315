// `JSON.stringify(value, null, 2)` plus a final newline, as UTF-8, written in parts: the audit's
// JSON files hold every listed number twice (the run's figures and its workspace's), and as one
// string a 20k-number audit.json is 20 million characters, stored at two bytes each once a single
// nickname is outside Latin-1, then encoded again. In parts, most of the text is one-byte and dies young.
import { Utf8Writer } from './utf8-writer';

/** Array elements per JSON.stringify call, and the length from which an array is written in parts. */
const ELEMENTS_PER_PART = 100;
/** Objects and arrays this shallow are written member by member (the run, its workspaces, their lists). */
const SPLIT_DEPTH = 3;
const INITIAL_BYTES = 1 << 20;

/**
 * The same bytes as Buffer.from(`${JSON.stringify(value, null, 2)}\n`) for JSON data (no cycles).
 * `capacity`: the bytes expected, or more.
 * One difference, for values this code never writes: a `toJSON(key)` inside a list of more than
 * 100 elements is given its index within a part of 100, and one whose result has a toJSON of its
 * own at the first three levels has that called too.
 */
export function prettyJsonBytes(value: unknown, capacity = INITIAL_BYTES): Buffer {
  // A first buffer that holds it all is never copied (the writer joins its buffers at the end).
  const out = new Utf8Writer(capacity);
  // A top-level value JSON cannot write (undefined, a function) is "undefined" in a template literal.
  if (writeValue(out, jsonValueOf(value, ''), 0) === undefined) out.write('undefined');
  out.write('\n');
  return out.done();
}

const indent = (depth: number) => '  '.repeat(depth);

/** What JSON leaves out of an object (and writes as null in an array). */
function isUnwritable(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The value JSON writes for a member: its toJSON(key)'s result when it has one. */
function jsonValueOf(value: unknown, key: string): unknown {
  const toJSON = (value as { toJSON?: unknown } | null | undefined)?.toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value, key) : value;
}

/** A plain object or array whose JSON is its members' (no toJSON of its own to call). */
function isSplittable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value`'s pretty JSON at `depth` (its first line unindented, the rest as deep as JSON.stringify
 * would put them there). Writes it, or returns undefined without writing when JSON leaves it out.
 */
function writeValue(out: Utf8Writer, value: unknown, depth: number): true | undefined {
  if (isSplittable(value) && (depth < SPLIT_DEPTH || (Array.isArray(value) && value.length > ELEMENTS_PER_PART))) {
    if (Array.isArray(value)) writeArray(out, value, depth);
    else writeObject(out, value, depth);
    return true;
  }
  const text = atDepth(value, depth);
  if (text === undefined) return undefined;
  out.write(text);
  return true;
}

/**
 * JSON.stringify(value, null, 2) as it reads `depth` levels deep: stringified inside `depth`
 * nested arrays, which put it at that depth, then cut out of them.
 */
function atDepth(value: unknown, depth: number): string | undefined {
  // Inside the arrays below, JSON would write these as null: they are left out instead.
  if (isUnwritable(value)) return undefined;
  if (depth === 0) return JSON.stringify(value, null, 2);
  let nested: unknown = value;
  for (let i = 0; i < depth; i++) nested = [nested];
  const text = JSON.stringify(nested, null, 2);
  // Before the value: "[\n" at each depth below it, then its own indent; after it: "\n", indent, "]" per depth.
  return text.slice(depth * depth + 3 * depth, text.length - (depth * depth + depth));
}

function writeArray(out: Utf8Writer, array: readonly unknown[], depth: number): void {
  if (array.length === 0) {
    out.write('[]');
    return;
  }
  const inner = indent(depth + 1);
  out.write('[\n');
  if (array.length <= ELEMENTS_PER_PART) {
    // A short list (the run's workspaces): each element on its own, so a large one is split too.
    // An index loop, not forEach: a hole is written as null, as JSON.stringify writes it.
    for (let i = 0; i < array.length; i++) {
      out.write(i === 0 ? inner : `,\n${inner}`);
      // Inside an array JSON writes what it cannot hold as null.
      if (writeValue(out, jsonValueOf(array[i], String(i)), depth + 1) === undefined) out.write('null');
    }
  } else {
    for (let start = 0; start < array.length; start += ELEMENTS_PER_PART) {
      if (start > 0) out.write(',\n');
      // The part as an array one level up: its elements land at depth + 1; its brackets are cut off.
      const part = atDepth(array.slice(start, start + ELEMENTS_PER_PART), depth) ?? '';
      out.write(part.slice(2, part.length - 2 - 2 * depth));
    }
  }
  out.write(`\n${indent(depth)}]`);
}

function writeObject(out: Utf8Writer, object: Record<string, unknown>, depth: number): void {
  const inner = indent(depth + 1);
  let written = 0;
  for (const key of Object.keys(object)) {
    const value = jsonValueOf(object[key], key);
    if (isUnwritable(value)) continue;
    out.write(`${written === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `);
    writeValue(out, value, depth + 1);
    written += 1;
  }
  out.write(written === 0 ? '{}' : `\n${indent(depth)}}`);
}
