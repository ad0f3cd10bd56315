// The character-code checks of a phone number's shape, held to the regular expressions they replace.
import fc from 'fast-check';
import { isPlusDigits, isStrictE164 } from '../../lambda/core/e164';

const shapes = fc.string({
  unit: fc.constantFrom('+', '0', '1', '5', '9', ' ', 'a', '-', '\n', '٣', '０'),
  maxLength: 18,
});

describe('isPlusDigits and isStrictE164', () => {
  it('agree with /^\\+\\d+$/ and /^\\+[1-9]\\d{1,14}$/ on any string', () => {
    fc.assert(
      fc.property(fc.oneof(shapes, fc.string({ maxLength: 18 })), (value) => {
        expect(isPlusDigits(value)).toBe(/^\+\d+$/.test(value));
        expect(isStrictE164(value)).toBe(/^\+[1-9]\d{1,14}$/.test(value));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['+1', true, false],
    ['+12', true, true],
    ['+012', true, false],
    ['+123456789012345', true, true],
    ['+1234567890123456', true, false],
    ['+12\n', false, false],
    ['12', false, false],
  ])('%j: plus digits %s, strict E.164 %s', (value, plusDigits, strict) => {
    expect(isPlusDigits(value)).toBe(plusDigits);
    expect(isStrictE164(value)).toBe(strict);
  });
});
