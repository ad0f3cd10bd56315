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
});
