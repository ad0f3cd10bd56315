// The streamed diff's record of last week's ids: every repeat caught, distinct ids let through.
import fc from 'fast-check';
import { IdHashes } from '../../lambda/core/id-hashes';

describe('IdHashes', () => {
  it('reports a repeated id, whenever it comes back, and holds every id added', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 24 }), { maxLength: 300 }),
        fc.nat(),
        (ids, pick) => {
          const seen = new IdHashes();
          for (const id of ids) expect(seen.add(id)).toBe(true);
          for (const id of ids) expect(seen.has(id)).toBe(true);
          if (ids.length > 0) expect(seen.add(ids[pick % ids.length])).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lets 200k distinct ids through as it grows, and knows none it was not given', () => {
    const seen = new IdHashes();
    let added = 0;
    for (let i = 0; i < 200_000; i++) if (seen.add(`phn_${i.toString(36).padStart(12, '0')}`)) added += 1;
    expect(added).toBe(200_000);
    expect(seen.has('phn_000000000000')).toBe(true);
    expect(seen.has(`phn_${(199_999).toString(36).padStart(12, '0')}`)).toBe(true);
    let strangers = 0;
    for (let i = 0; i < 50_000; i++) if (seen.has(`agt_${i.toString(36).padStart(12, '0')}`)) strangers += 1;
    expect(strangers).toBe(0);
  });

  describe('addWritten (an id read in place from a JSON string in a file)', () => {
    const written = (id: string) => Buffer.from(`{"id":${JSON.stringify(id)},"x":1}`);

    it('is add of the text for an ASCII id with no escape, in either order', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), {
            maxLength: 60,
          }),
          fc.nat(),
          (ids, pick) => {
            const plain = ids.filter((id) => !id.includes('"') && !id.includes('\\'));
            const inPlace = new IdHashes();
            for (const id of plain) expect(inPlace.addWritten(written(id), 7)).toBe(true);
            for (const id of plain) expect(inPlace.has(id)).toBe(true);
            if (plain.length > 0) expect(inPlace.add(plain[pick % plain.length])).toBe(false);
            const asText = new IdHashes();
            for (const id of plain) asText.add(id);
            if (plain.length > 0) expect(asText.addWritten(written(plain[pick % plain.length]), 7)).toBe(false);
          },
        ),
        { numRuns: 200 },
      );
    });

    it.each([
      ['an escape', 'pn_"1'],
      ['a backslash', 'pn\\1'],
      ['a control character', 'pn\n1'],
      ['text outside ASCII', 'pn_é'],
      ['a 4-byte character', 'pn_😀'],
    ])('adds nothing and says null for an id with %s (its bytes are not its text)', (_label, id) => {
      const seen = new IdHashes();
      expect(seen.addWritten(written(id), 7)).toBeNull();
      expect(seen.has(id)).toBe(false);
      expect(seen.add(id)).toBe(true);
    });

    it('says null for a string that never ends', () => {
      expect(new IdHashes().addWritten(Buffer.from('{"id":"pn_1'), 7)).toBeNull();
    });
  });
});
