import fc from 'fast-check';
import { MIN_SECRET_RUN, REDACTED, redactSecrets } from '../../lambda/core/redact';

const KEY = 'dnx_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXw'; // 44 characters, like a real key

/** True when some run of MIN_SECRET_RUN characters of `text` occurs in `secret`. */
function leaks(text: string, secret: string): boolean {
  for (let i = 0; i + MIN_SECRET_RUN <= text.length; i += 1) {
    if (secret.includes(text.slice(i, i + MIN_SECRET_RUN))) return true;
  }
  return false;
}

describe('redactSecrets', () => {
  it('replaces the whole key and keeps the text around it', () => {
    expect(redactSecrets(`Bearer ${KEY} rejected`, [KEY])).toBe(`Bearer ${REDACTED} rejected`);
  });

  it('replaces a partial key: the first 26 characters, as an error preview cut at 60 would hold', () => {
    const echoed = `{"error":"bad auth","auth":"Bearer ${KEY.slice(0, 26)}`;
    const out = redactSecrets(echoed, [KEY]);
    expect(out).toBe(`{"error":"bad auth","auth":"Bearer ${REDACTED}`);
    expect(leaks(out, KEY)).toBe(false);
  });

  it('replaces a tail and a middle piece of 8 characters, not 7', () => {
    expect(redactSecrets(`x${KEY.slice(-8)}y`, [KEY])).toBe(`x${REDACTED}y`);
    expect(redactSecrets(`x${KEY.slice(10, 18)}y`, [KEY])).toBe(`x${REDACTED}y`);
    const seven = KEY.slice(10, 17);
    expect(redactSecrets(`x${seven}y`, [KEY])).toBe(`x${seven}y`);
  });

  it('redacts several pieces and several secrets', () => {
    const other = 'sk_other_secret_value';
    const text = `${KEY.slice(0, 12)} and ${other} and ${KEY.slice(30)}`;
    expect(redactSecrets(text, [KEY, undefined, other])).toBe(`${REDACTED} and ${REDACTED} and ${REDACTED}`);
  });

  it('redacts a short secret only whole', () => {
    expect(redactSecrets('key=abcd1 abcd', ['abcd1'])).toBe(`key=${REDACTED} abcd`);
    expect(redactSecrets('abc', ['abc'])).toBe('abc');
  });

  it('leaves no run of 8 key characters in any text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.nat(KEY.length).chain((a) => fc.constant(KEY.slice(a))),
          ),
          {
            maxLength: 6,
          },
        ),
        (parts) => !leaks(redactSecrets(parts.join(''), [KEY]), KEY),
      ),
    );
  });
});

describe('redactSecrets leaves other text alone', () => {
  it('changes nothing in a text that holds no run of 8 key characters (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.nat(KEY.length - 7).map((a) => KEY.slice(a, a + 7)),
          ),
          {
            maxLength: 8,
          },
        ),
        (parts) => {
          const text = parts.join(' ');
          return leaks(text, KEY) || redactSecrets(text, [KEY]) === text;
        },
      ),
    );
  });
});
