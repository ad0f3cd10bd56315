import fc from 'fast-check';
import { prettyJsonBytes } from '../../lambda/core/pretty-json';

const stringified = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const written = (value: unknown) => prettyJsonBytes(value);

/** What a run's JSON holds, and what JSON leaves out or writes as null (undefined, functions, dates). */
const member = fc.oneof(
  fc.jsonValue(),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.date({ noInvalidDate: true }),
  fc.string({ unit: 'binary' }),
);
/** Long lists at every depth, so the parts (100 elements each) and their joins are crossed. */
const list = (of: fc.Arbitrary<unknown>) => fc.array(of, { maxLength: 260 });
const document = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    member,
    list(fc.oneof(member, fc.record({ id: fc.string(), n: fc.integer() }))),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 }),
  ),
})).node;

/** An array of `length` holding `filled` and holes everywhere else (a literal with holes is linted out). */
function withHoles(length: number, filled: Record<number, unknown>): unknown[] {
  const array: unknown[] = new Array(length);
  for (const [index, value] of Object.entries(filled)) array[Number(index)] = value;
  return array;
}

/** 0..length-1 with a hole at `hole`. */
function countingWithHole(length: number, hole: number): unknown[] {
  const array: unknown[] = Array.from({ length }, (_, i) => i);
  delete array[hole];
  return array;
}

describe('prettyJsonBytes', () => {
  it('writes the bytes of JSON.stringify(value, null, 2) and a newline (property)', () => {
    fc.assert(
      fc.property(document, (value) => {
        expect(written(value)).toEqual(stringified(value));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['an empty object and array', { a: {}, b: [], c: [[], {}] }],
    ['members JSON leaves out', { a: undefined, b: () => 1, c: 1 }],
    ['only members JSON leaves out', { a: undefined }],
    ['null and undefined in arrays', [null, undefined, () => 1]],
    ['an object with its own toJSON', { nested: { toJSON: () => ({ as: 'json' }) }, at: new Date(0) }],
    ['an object without a prototype', Object.assign(Object.create(null), { a: [1, { b: 2 }] })],
    ['a 1,001-element list three levels down', { w: [{ list: Array.from({ length: 1001 }, (_, i) => ({ i })) }] }],
    ['text outside Latin-1 and JSON escapes', { s: 'Zürich 東京 😀 "q" \\ \n \u2028 \u0007' }],
    ['a member whose toJSON gives undefined', { a: { toJSON: () => undefined }, b: [{ toJSON: () => undefined }] }],
    [
      'a toJSON that reads its key',
      { w: { at: { toJSON: (key: string) => `key ${key}` } }, l: [{ toJSON: (k: string) => k }] },
    ],
    ['holes in short arrays', { a: withHoles(4, { 1: 'x' }), b: [withHoles(2, { 1: 1 })] }],
    ['a hole in a long list', { list: countingWithHole(150, 120) }],
  ])('writes %s as JSON.stringify does', (_, value) => {
    expect(written(value)).toEqual(stringified(value));
  });
});
