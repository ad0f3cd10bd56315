import fc from 'fast-check';
import { Utf8Writer } from '../../lambda/core/utf8-writer';

describe('Utf8Writer', () => {
  it('holds the UTF-8 of everything written, whatever the starting capacity (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (parts, capacity) => {
          const out = new Utf8Writer(capacity);
          for (const part of parts) out.write(part);
          expect(out.done()).toEqual(Buffer.from(parts.join('')));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never cuts a write that only just fits or just does not', () => {
    for (const text of ['abc', 'é', '東', '😀', '\ud800']) {
      const bytes = Buffer.byteLength(text);
      for (const capacity of [bytes - 1, bytes, bytes + 1].filter((c) => c > 0)) {
        const out = new Utf8Writer(capacity);
        out.write(text);
        out.write(text);
        expect(out.done()).toEqual(Buffer.concat([Buffer.from(text), Buffer.from(text)]));
      }
    }
  });
});
