// normalize answers a number's country and type from libphonenumber's metadata with its own
// compiled patterns (numbering-plan.ts). libphonenumber's parse stays the reference: for every
// input the fast path must give exactly what the library gives.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import metadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { toNumberRecord } from '../../lambda/adapters/dialnexa/schema';
import { canonicalType, normalizeNumber, normalizeWithPlan } from '../../lambda/core/normalize';
import { fastPlanFacts, libraryPlanFacts, type PlanFacts, planFacts } from '../../lambda/core/numbering-plan';
import type { NumberRecord } from '../../lambda/core/types';
import { generatePortfolio } from '../../simulator/portfolio';

/** Every answer normalize can read, `type()` called. */
function answers(facts: PlanFacts | undefined) {
  return facts && { country: facts.country, countryCallingCode: facts.countryCallingCode, type: facts.type() };
}

function portfolioRecords(seed: number, size: number): NumberRecord[] {
  return generatePortfolio({ seed, size }).map((raw) => {
    const parsed = toNumberRecord(raw);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.record;
  });
}

/** The first few records whose fast-path normalization differs from the library's. */
function differences(records: readonly NumberRecord[]) {
  const found: unknown[] = [];
  for (const record of records) {
    const fast = normalizeNumber(record);
    const reference = normalizeWithPlan(record, libraryPlanFacts);
    if (!isDeepStrictEqual(fast, reference) && found.push({ record, fast, reference }) >= 5) break;
  }
  return found;
}

// The bench's seed; its 100k numbers take ~3 s to generate, so a fifth of them, and other seeds below.
describe('the bench portfolio seed (6, 20k numbers)', () => {
  const records = portfolioRecords(6, 20_000);

  it('normalizes every record exactly as the libphonenumber path does', () => {
    expect(differences(records)).toEqual([]);
  });

  it('answers almost every plan question normalize asks itself, each as the library does', () => {
    const asked = records.filter((r) => {
      const n = normalizeNumber(r);
      return n.countrySource !== 'api' || !canonicalType(r.type);
    });
    const numbers = [...new Set(asked.map((r) => normalizeNumber(r).phoneNumber))];
    expect(numbers.length).toBeGreaterThan(3_000);
    let answered = 0;
    const wrong: unknown[] = [];
    for (const e164 of numbers) {
      const fast = fastPlanFacts(e164);
      if (!fast) continue;
      answered++;
      const reference = answers(libraryPlanFacts(e164));
      if (!isDeepStrictEqual(answers(fast), reference) && wrong.push({ e164, fast: answers(fast), reference }) >= 5)
        break;
    }
    expect(wrong).toEqual([]);
    expect(answered / numbers.length).toBeGreaterThan(0.99);
  });
});

it.each([1, 2, 3])('normalizes portfolio seed %i exactly as the libphonenumber path does', (seed) => {
  expect(differences(portfolioRecords(seed, 5_000))).toEqual([]);
});

describe('inputs the fast path leaves to the library', () => {
  it.each([
    ['+80023456789', 'a non-geographic calling code'],
    ['+4402071838750', 'a national prefix after the calling code'],
    ['+112015550123', "NANP's national prefix 1"],
    ['+54011523456789', "Argentina's 0 and 15, which the library rewrites"],
    ['+78123456789', "a Saint Petersburg number, whose 8 is Russia's national prefix"],
    ['+1 2015550123', 'anything but + and digits'],
    ['+12', 'too short'],
    ['+123456789012345678', 'too long'],
    ['+0123456789', 'a calling code starting with 0'],
    ['+9991234567', 'no calling code at all'],
  ])('%s (%s) is left to the library', (e164) => {
    expect(fastPlanFacts(e164)).toBeUndefined();
  });
});

describe('property: E.164 numbers across every calling code', () => {
  const callingCodes = Object.keys(metadata.country_calling_codes);
  const codeOfCountry = new Map(
    Object.entries(metadata.country_calling_codes).flatMap(([code, countries]) => countries.map((c) => [c, code])),
  );
  // A country's example mobile number with its tail redrawn lands in real ranges, where the
  // type and shared-code questions are decided; wholly random digits mostly land outside them.
  const stems = Object.entries(examples).flatMap(([country, national]) => {
    const code = codeOfCountry.get(country);
    return code ? [{ code, national }] : [];
  });
  const digits = (min: number, max: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
  const randomNumber = fc
    .tuple(fc.constantFrom(...callingCodes), digits(4, 15))
    .map(([code, national]) => `+${code}${national}`);
  const nearExample = fc
    .tuple(fc.constantFrom(...stems), fc.nat(4), digits(0, 6))
    .map(
      ([{ code, national }, cut, tail]) => `+${code}${national.slice(0, Math.max(0, national.length - cut))}${tail}`,
    );
  const e164 = fc.oneof(randomNumber, nearExample);

  it('gives the library’s country, calling code and type', () => {
    fc.assert(
      fc.property(e164, (number) => {
        expect(answers(planFacts(number))).toEqual(answers(libraryPlanFacts(number)));
      }),
      { numRuns: 3000 },
    );
  });

  it('normalizes a record with or without its country and type as the libphonenumber path does', () => {
    const record = fc.record(
      {
        phone_number: e164,
        country_code: fc.constantFrom('US', ' gb ', 'JE', 'X1', ''),
        type: fc.constantFrom('local', 'Mobile', 'toll-free', 'satellite', ''),
      },
      { requiredKeys: ['phone_number'] },
    );
    fc.assert(
      fc.property(record, (fields) => {
        const input: NumberRecord = { id: 'phn_1', ...fields };
        const reference = normalizeWithPlan(input, libraryPlanFacts);
        const fast = normalizeNumber(input);
        expect({
          country: fast.countryCode,
          countrySource: fast.countrySource,
          type: fast.type,
          typeInferred: fast.typeInferred,
        }).toEqual({
          country: reference.countryCode,
          countrySource: reference.countrySource,
          type: reference.type,
          typeInferred: reference.typeInferred,
        });
        expect(fast).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
  });
});
